using Matrix.Router.Security;
using Matrix.Router.Transport;
using Matrix.ServiceDefaults.Configuration;
using Matrix.Stack.Catalog;

namespace Matrix.Router.Configuration;

/// <summary>
/// Everything the router is configured with (section <c>Router</c>; docs/router.md describes every key, and
/// <see cref="RouterSettings"/> what <c>--help</c> prints). Each default is stated here and nowhere else. Read once by
/// <see cref="RouterOptionsSetup"/>, checked at start by <see cref="RouterOptionsValidator"/>.
/// </summary>
public sealed class RouterOptions
{
    public const string Section = "Router";

    /// <summary>The pools present and their base URLs; <c>main</c> is always there. The pools present define the layout.</summary>
    public IReadOnlyDictionary<PoolType, IReadOnlyList<PoolDestination>> Pools { get; set; } = new Dictionary<PoolType, IReadOnlyList<PoolDestination>>();

    /// <summary>With a <c>mas</c> pool: the path of MAS's public base on the homeserver's host, routed whole to MAS.</summary>
    public string? MasPathPrefix { get; set; }

    /// <summary>
    /// Per pool, a balance replacing the catalog's (<c>Router:Balance:&lt;pool&gt;=access-token-user</c>); routes with a
    /// balance of their own keep it. Default: none, every pool as the catalog says.
    /// </summary>
    public IReadOnlyDictionary<PoolType, BalancePolicy> Balance { get; set; } = new Dictionary<PoolType, BalancePolicy>();

    public UserKeyOptions UserKey { get; set; } = new();

    public ActiveHealthOptions Health { get; set; } = new();

    public PassiveHealthOptions PassiveHealth { get; set; } = new();

    public RouterLimits Limits { get; set; } = new();

    public DnsOptions Dns { get; set; } = new();

    /// <summary>How requests travel to Synapse: the router's own HTTP/1.1 client, or YARP over SocketsHttpHandler.</summary>
    public ForwardingTransport Transport { get; set; } = ForwardingTransport.Http1;

    /// <summary>Whether Kestrel runs request handling on the socket's I/O thread (no thread switch per read and write).</summary>
    public bool InlineScheduling { get; set; } = true;

    /// <summary>The <c>Retry-After</c> sent with a 503 when no instance can take a request.</summary>
    public Duration RetryAfter { get; set; } = Duration.FromSeconds(5);

    /// <summary>Peers whose <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> are believed. Default: none.</summary>
    public IpNetworkList TrustedProxies { get; set; } = IpNetworkList.None;

    /// <summary>
    /// Client addresses allowed to reach <c>/_synapse/admin/*</c> and <c>/_router/status</c>. Default: loopback only.
    /// Behind an ingress every client looks private, so private ranges are never allowed unless configured.
    /// </summary>
    public IpNetworkList AdminAllowList { get; set; } = IpNetworkList.Loopback;

    /// <summary>
    /// Client addresses allowed to reach <c>/_synapse/mas/*</c>, Synapse's internal API for MAS (only
    /// <c>/_matrix</c> and <c>/_synapse/client</c> are public). Default: loopback and the private ranges a cluster's
    /// own pods and services use (10/8, 172.16/12, 192.168/16, fc00::/7); narrow it to MAS's network where known.
    /// </summary>
    public IpNetworkList MasApiAllowList { get; set; } = IpNetworkList.LoopbackAndPrivate;

    /// <summary>
    /// What could not be read from configuration (unknown keys, unreadable values, unusable URLs), each naming its key.
    /// Kept for <see cref="RouterOptionsValidator"/>, so that start-up reports them with every other problem at once.
    /// </summary>
    internal List<string> ReadProblems { get; } = [];
}
