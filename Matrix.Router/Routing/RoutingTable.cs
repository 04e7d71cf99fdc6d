using Matrix.Router.Configuration;
using Matrix.Stack.Catalog;
using Matrix.Stack.Routing;

namespace Matrix.Router.Routing;

/// <summary>
/// The route matcher for the pools present, and those pools' instances. Built once from <see cref="RouterOptions"/>;
/// afterwards only instance sets change (DNS re-resolution), never which pools exist.
/// </summary>
public sealed class RoutingTable
{
    private readonly BackendPool?[] _byType;
    private readonly long[] _bodyLimits;

    public RoutingTable(RouterOptions options)
    {
        Matcher = RouteMatcher.For(options.Pools.Keys, options.MasPathPrefix, options.Balance);
        _byType = new BackendPool?[Enum.GetValues<PoolType>().Length];
        var pools = new List<BackendPool>();
        foreach (var (type, destinations) in options.Pools.OrderBy(p => p.Key))
        {
            int? cap = type == PoolType.InitialSynchrotron ? options.Limits.InitialSyncConcurrency : null;
            var pool = new BackendPool(type, cap)
            {
                Instances = [.. destinations.Select(d => new PoolInstance(type, d.BaseUrl.GetLeftPart(UriPartial.Authority), d, options.Health, options.PassiveHealth))],
            };
            _byType[(int)type] = pool;
            pools.Add(pool);
        }
        Pools = pools;
        // Synapse processes that load the media repository read bodies up to max_upload_size; the others abort the
        // connection past 200 PDUs. Main loads it when the layout has no media-repository pool.
        var mainLoadsMedia = !options.Pools.ContainsKey(PoolType.MediaRepository);
        _bodyLimits = [.. Enum.GetValues<PoolType>().Select(type =>
            type == PoolType.MediaRepository || (type == PoolType.Main && mainLoadsMedia)
                ? options.Limits.MediaRequestBodySize()
                : options.Limits.MaxRequestBodySize)];
    }

    public RouteMatcher Matcher { get; }

    public IReadOnlyList<BackendPool> Pools { get; }

    public BackendPool? this[PoolType type] => _byType[(int)type];

    /// <summary>The largest request body the processes of <paramref name="type"/> read without aborting the connection.</summary>
    public long BodyLimit(PoolType type) => _bodyLimits[(int)type];

    public IEnumerable<PoolInstance> AllInstances => Pools.SelectMany(p => p.Instances);
}
