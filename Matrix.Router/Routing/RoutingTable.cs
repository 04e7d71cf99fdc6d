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
    }

    public RouteMatcher Matcher { get; }

    public IReadOnlyList<BackendPool> Pools { get; }

    public BackendPool? this[PoolType type] => _byType[(int)type];

    public IEnumerable<PoolInstance> AllInstances => Pools.SelectMany(p => p.Instances);
}
