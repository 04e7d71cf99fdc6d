using Matrix.ServiceDefaults.Configuration;

namespace Matrix.Router.Configuration;

/// <summary>
/// Every <c>Router:</c> setting with its default and meaning: what <c>--help</c> prints, and the known keys an unknown one is
/// reported with. docs/router.md explains each in full.
/// </summary>
public static class RouterSettings
{
    /// <summary>
    /// One setting. <see cref="Key"/> may end in <c>:&lt;…&gt;</c> for a family of keys (pools, list entries).
    /// <see cref="Default"/> is read from <see cref="RouterOptions"/>, where each default is stated.
    /// </summary>
    public sealed record Setting(string Key, string Meaning)
    {
        public string Default => DefaultOf(Key);
    }

    public static IReadOnlyList<Setting> All { get; } =
    [
        new("Router:Pools:<pool>:<instance>", "Base URL of one instance of <pool> (main is required); <instance> names it (an index works too). In environment variables '_' may stand for '-': Router__Pools__client_reader__client_reader_1. Matrix.Stack's render writes these to router/router.env."),
        new("Router:MasPathPrefix", "With a mas pool: the path of MAS's public base when MAS shares the homeserver's host (/auth/); every request under it goes to MAS."),
        new("Router:Balance:<pool>", "Balance of <pool> instead of the catalog's (routes with their own keep it): access-token, access-token-user, room-id, federation-origin, uri, least-busy, round-robin. access-token-user hashes the user behind the token (one whoami per new token): for MAS deployments."),
        new("Router:UserKey:CacheSize", "access-token-user: tokens whose user is remembered at most."),
        new("Router:UserKey:Expiry", "access-token-user: how long a token's user is remembered."),
        new("Router:UserKey:LookupTimeout", "access-token-user: time one whoami may take (requests never wait for it)."),
        new("Router:UserKey:MaxConcurrentLookups", "access-token-user: whoami requests in flight at once."),
        new("Router:UserKey:RefusedCacheSize", "access-token-user: tokens Synapse refused, remembered apart (not asked about again until they expire)."),
        new("Router:UserKey:LookupBurstPerClient", "access-token-user: whoami lookups one client address (IPv4, IPv6 /64) may cause at once; beyond it, new tokens are balanced by their hash."),
        new("Router:UserKey:LookupsPerMinutePerClient", "access-token-user: lookups per minute given back to each client address's budget."),
        new("Router:AdminAllowList", "Client networks (CIDR, comma-separated or :<index> entries, or 'none') that may reach /_synapse/admin/* and /_router/status."),
        new("Router:MasApiAllowList", "Client networks (as AdminAllowList) that may reach /_synapse/mas/*, Synapse's internal API for MAS."),
        new("Router:TrustedProxies", "Peers whose X-Forwarded-For/X-Forwarded-Proto are believed (an ingress in front of the router)."),
        new("Router:Health:Interval", "Time between active health probes of every instance."),
        new("Router:Health:Timeout", "Time a probe may take."),
        new("Router:Health:Path", "Probe path."),
        new("Router:Health:UnhealthyThreshold", "Consecutive failed probes that take an instance out."),
        new("Router:Health:HealthyThreshold", "Consecutive good probes that bring it back."),
        new("Router:PassiveHealth:ConsecutiveFailures", "Consecutive transport failures of forwarded requests (reset or closed connections) that take an instance out."),
        new("Router:PassiveHealth:FailureRate", "Share of transport failures among forwarded requests within the window that takes an instance out."),
        new("Router:PassiveHealth:Window", "Time over which the failure rate is counted."),
        new("Router:PassiveHealth:MinimumRequests", "Requests within the window before the failure rate counts."),
        new("Router:Limits:MaxUploadSize", "Synapse's max_upload_size: processes that load the media repository read bodies up to the larger of it and 12.5 MiB (200 x 64 KiB); larger gets 413."),
        new("Router:Limits:MaxRequestBodySize", "Largest request body to every other process; at most 13107200 (200 x 64 KiB), past which Synapse resets the connection."),
        new("Router:Limits:MaxRequestLineSize", "Longest request line; longer gets 414."),
        new("Router:Limits:MaxRequestHeadSize", "Request line plus header lines as forwarded; more gets 431 (Synapse's HTTP stack closes the connection beyond 16 KiB)."),
        new("Router:Limits:MaxConnections", "Client connections open at once (20,000 users with a long-poll and a second connection each); beyond it new connections are closed."),
        new("Router:Limits:KeepAliveTimeout", "Time an idle client connection is kept."),
        new("Router:Limits:RequestHeadersTimeout", "Time a client has to send the request line and headers."),
        new("Router:Limits:MinRequestBodyDataRate", "Bytes per second a request body must keep up after a 5 s grace period, else the request is ended."),
        new("Router:Limits:ActivityTimeout", "Time a forwarded request may make no progress (must exceed the longest /sync timeout)."),
        new("Router:Limits:ConnectTimeout", "Time to connect to an instance before trying another."),
        new("Router:Limits:InitialSyncConcurrency", "Initial syncs in flight per initial-synchrotron instance."),
        new("Router:Dns:RefreshInterval", "Time between DNS re-resolutions of destination host names (0: never)."),
        new("Router:Dns:NameServer", $"Name server asked for destination host names, without a cache: {DnsOptions.NameServerFormat}. Unset: the system resolver (Kubernetes' cluster DNS)."),
        new("Router:Transport", "How requests travel to Synapse: Http1 (the router's own HTTP/1.1 client; no buffer held while an answer is awaited) or SocketsHttpHandler (YARP over .NET's HttpClient, the earlier transport); https:// instances always use the latter."),
        new("Router:InlineScheduling", "Kestrel handles requests on the socket's I/O thread instead of switching threads for every read and write (a third less CPU per request); false to switch as ASP.NET Core does by default."),
        new("Router:RetryAfter", "Retry-After sent with a 503 (whole seconds, rounded up)."),
    ];

    private static string DefaultOf(string key)
    {
        var relative = key[(RouterOptions.Section.Length + 1)..];
        var defaults = new RouterOptions();
        return relative switch
        {
            _ when relative.Contains('<') => "-",
            nameof(RouterOptions.MasPathPrefix) => "-",
            $"{nameof(RouterOptions.Dns)}:{nameof(DnsOptions.NameServer)}" => "-",
            nameof(RouterOptions.AdminAllowList) => defaults.AdminAllowList.ToString(),
            nameof(RouterOptions.MasApiAllowList) => defaults.MasApiAllowList.ToString(),
            nameof(RouterOptions.TrustedProxies) => defaults.TrustedProxies.ToString(),
            _ => CheckedBinder.Format(defaults, relative) ?? throw new InvalidOperationException($"{key} is not a setting of {nameof(RouterOptions)}"),
        };
    }

    /// <summary>The text <c>Matrix.Router --help</c> prints.</summary>
    public static string Help()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("Matrix.Router: routes Matrix requests to Synapse worker pools (docs/router.md).");
        text.AppendLine();
        text.AppendLine("Usage: Matrix.Router [--urls http://0.0.0.0:8008] [--Router:<setting>=<value> ...]");
        text.AppendLine("Settings come from appsettings.json, environment variables (Router__Limits__MaxConnections=...) and the command line.");
        text.AppendLine($"Durations: {Duration.Format}; sizes: {ByteSizeConverter.Format}.");
        text.AppendLine();
        var width = All.Max(s => s.Key.Length);
        text.AppendLine($"{"setting".PadRight(width)}  {"default",-22}  meaning");
        foreach (var setting in All)
        {
            text.AppendLine($"{setting.Key.PadRight(width)}  {setting.Default,-22}  {setting.Meaning}");
        }
        return text.ToString();
    }
}
