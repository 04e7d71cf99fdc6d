using Matrix.Stack.Catalog;
using Matrix.Stack.Layout;

namespace Matrix.Stack.Routing;

/// <summary>
/// Chooses the pool for (method, path, query): the router's hot path and the CLI's <c>explain</c>, so the two
/// can never disagree. Routes from <see cref="WorkerCatalog"/> are compiled into a segment trie for the pools
/// present; a request walks it once, segment by segment (no regular expressions, no allocation).
/// Paths are matched raw, as Synapse matches them: percent-escapes stay inside their segment.
/// </summary>
public sealed class RouteMatcher
{
    private readonly RouteNode _root;

    private RouteMatcher(RouteNode root, RouteDecision defaultDecision, IReadOnlySet<PoolType> pools)
    {
        _root = root;
        Default = defaultDecision;
        Pools = pools;
    }

    /// <summary>Where unmatched requests go: main.</summary>
    public RouteDecision Default { get; }

    /// <summary>The pools this table routes to.</summary>
    public IReadOnlySet<PoolType> Pools { get; }

    public static RouteMatcher For(SynapseLayout layout) =>
        For(layout.Instances.Select(i => i.PoolType).Concat(layout.HasMas ? [PoolType.Mas] : []), layout.MasPathPrefix);

    /// <summary>Builds the table for the pools present (main is always present).</summary>
    /// <param name="masPathPrefix">With the <c>mas</c> pool present: the path of MAS's public base on the homeserver's host
    /// (<c>/auth/</c>), whose every request goes to MAS; null when MAS has a host of its own.</param>
    /// <param name="poolBalance">Per pool, a policy replacing the pool's own (the catalog's <see cref="PoolDefinition.Balance"/>);
    /// routes that name a policy of their own (room pagination) keep it.</param>
    public static RouteMatcher For(IEnumerable<PoolType> presentPools, string? masPathPrefix = null, IReadOnlyDictionary<PoolType, BalancePolicy>? poolBalance = null)
    {
        var present = presentPools.Append(PoolType.Main).ToHashSet();
        RouteDecision DecisionFor(PoolType pool, BalancePolicy? balance, string? template, bool streamWrite = false)
        {
            var definition = WorkerCatalog.Get(pool);
            // A stream write has nowhere else to go: any process but the writer answers 500.
            var fallbacks = streamWrite ? [] : definition.Fallback.Where(f => f != pool && present.Contains(f)).ToArray();
            var poolDefault = poolBalance is not null && poolBalance.TryGetValue(pool, out var chosen) ? chosen : definition.Balance;
            return new RouteDecision(pool, balance ?? poolDefault, fallbacks, template);
        }

        var root = new RouteNode();
        var order = 0;
        foreach (var owner in WorkerCatalog.All)
        {
            // MAS's compatibility endpoints are Synapse's (client-reader, sso-login) unless MAS is there to take them.
            IReadOnlyList<RouteRule> routes = owner.Type == PoolType.Mas
                ? present.Contains(PoolType.Mas) ? [.. owner.Routes, .. MasPrefixRoutes(masPathPrefix)] : []
                : owner.Routes;
            foreach (var rule in routes)
            {
                var streamWrite = WorkerCatalog.IsStreamWrite(owner, rule);
                var pool = streamWrite
                    ? WorkerCatalog.StreamWriterPool(owner.Stream!, present)
                    : present.Contains(owner.Type)
                        ? owner.Type
                        : rule.WhenAbsent.FirstOrDefault(present.Contains, PoolType.Main);
                var entry = new RouteEntry(rule.GetOnly, rule.Condition, DecisionFor(pool, rule.Balance, rule.Template, streamWrite), order++);
                foreach (var segments in RouteTemplate.Expand(rule.Template))
                {
                    root.Add(segments, 0, entry);
                }
            }
        }
        root.Seal();
        return new RouteMatcher(root, DecisionFor(PoolType.Main, null, null), present);
    }

    private static IEnumerable<RouteRule> MasPrefixRoutes(string? prefix)
    {
        var trimmed = prefix?.TrimEnd('/');
        if (string.IsNullOrEmpty(trimmed))
        {
            yield break;
        }
        if (!trimmed.StartsWith('/') || trimmed.Contains('{', StringComparison.Ordinal) || trimmed.Contains('*', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{prefix}' is not a plain path prefix such as /auth/", nameof(prefix));
        }
        yield return new RouteRule(trimmed);
        yield return new RouteRule(trimmed + "/**");
    }

    /// <summary>The decision for a request. <paramref name="path"/> starts with '/', <paramref name="query"/> has no '?'.</summary>
    public RouteDecision Match(ReadOnlySpan<char> method, ReadOnlySpan<char> path, ReadOnlySpan<char> query)
    {
        if (path.IsEmpty || path[0] != '/')
        {
            return Default;
        }
        var request = new RouteRequest(IsRead(method), query);
        return _root.Match(path[1..], ref request) ?? Default;
    }

    /// <summary>Convenience for <c>PATH?QUERY</c> strings (the CLI and tests).</summary>
    public RouteDecision Match(string method, string pathAndQuery)
    {
        var q = pathAndQuery.IndexOf('?');
        return q < 0
            ? Match(method, pathAndQuery, ReadOnlySpan<char>.Empty)
            : Match(method, pathAndQuery.AsSpan(0, q), pathAndQuery.AsSpan(q + 1));
    }

    private static bool IsRead(ReadOnlySpan<char> method) =>
        method.Equals("GET", StringComparison.OrdinalIgnoreCase) || method.Equals("HEAD", StringComparison.OrdinalIgnoreCase);
}
