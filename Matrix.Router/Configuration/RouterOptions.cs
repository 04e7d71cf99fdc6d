using Matrix.Router.Security;
using Matrix.Stack.Catalog;

namespace Matrix.Router.Configuration;

/// <summary>
/// Everything the router is configured with, read and validated once at start-up by <see cref="RouterOptionsReader"/>
/// (section <c>Router</c>; see docs/router.md for every key).
/// </summary>
public sealed record RouterOptions
{
    public const string Section = "Router";

    /// <summary>The pools present and their base URLs; <c>main</c> is always there. The pools present define the layout.</summary>
    public required IReadOnlyDictionary<PoolType, IReadOnlyList<PoolDestination>> Pools { get; init; }

    /// <summary>With a <c>mas</c> pool: the path of MAS's public base on the homeserver's host, routed whole to MAS.</summary>
    public string? MasPathPrefix { get; init; }

    public ActiveHealthOptions Health { get; init; } = new();

    public PassiveHealthOptions PassiveHealth { get; init; } = new();

    public RouterLimits Limits { get; init; } = new();

    /// <summary>How often host names among the destinations are resolved again (one instance per address); zero: never.</summary>
    public TimeSpan DnsRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The <c>Retry-After</c> sent with a 503 when no instance can take a request.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Peers whose <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> are believed. Default: none.</summary>
    public IpNetworkList TrustedProxies { get; init; } = IpNetworkList.None;

    /// <summary>
    /// Client addresses allowed to reach <c>/_synapse/admin/*</c> and <c>/_router/status</c>. Default: loopback only.
    /// Behind an ingress every client looks private, so private ranges are never allowed unless configured.
    /// </summary>
    public IpNetworkList AdminAllowList { get; init; } = IpNetworkList.Loopback;
}
