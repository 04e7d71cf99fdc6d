namespace Matrix.Router.Configuration;

/// <summary>
/// Every <c>Router:</c> setting with its default and meaning: what <c>--help</c> prints, and the list an unknown key is
/// checked against (a misspelt setting would otherwise be ignored silently). docs/router.md explains each in full.
/// </summary>
public static class RouterSettings
{
    /// <summary>One setting. <see cref="Key"/> may end in <c>:&lt;…&gt;</c> for a family of keys (pools, list entries).</summary>
    public sealed record Setting(string Key, string Default, string Meaning);

    public static IReadOnlyList<Setting> All { get; } =
    [
        new("Router:Pools:<pool>:<index>", "-", "Base URL of one instance of <pool> (main is required). In environment variables '_' may stand for '-' in <pool>: Router__Pools__client_reader__0."),
        new("Router:MasPathPrefix", "-", "With a mas pool: the path of MAS's public base when MAS shares the homeserver's host (/auth/); every request under it goes to MAS."),
        new("Router:ServiceNamePrefix", "synapse-", "Aspire service-discovery names ({prefix}<pool>[-<n>]) that are Synapse instances."),
        new("Router:AdminAllowList", "127.0.0.0/8, ::1", "Client networks (CIDR, comma-separated or :<index> entries, or 'none') that may reach /_synapse/admin/* and /_router/status."),
        new("Router:TrustedProxies", "none", "Peers whose X-Forwarded-For/X-Forwarded-Proto are believed (an ingress in front of the router)."),
        new("Router:Health:Interval", "5", "Seconds between active health probes of every instance."),
        new("Router:Health:Timeout", "2", "Seconds a probe may take."),
        new("Router:Health:Path", "/health", "Probe path."),
        new("Router:Health:UnhealthyThreshold", "2", "Consecutive failed probes that take an instance out."),
        new("Router:Health:HealthyThreshold", "1", "Consecutive good probes that bring it back."),
        new("Router:PassiveHealth:ConsecutiveFailures", "5", "Consecutive transport failures of forwarded requests (reset or closed connections) that take an instance out."),
        new("Router:PassiveHealth:FailureRate", "0.3", "Share of transport failures among forwarded requests within the window that takes an instance out."),
        new("Router:PassiveHealth:Window", "60", "Seconds over which the failure rate is counted."),
        new("Router:PassiveHealth:MinimumRequests", "10", "Requests within the window before the failure rate counts."),
        new("Router:Limits:MaxUploadSize", "100M", "Largest request body to the media repository."),
        new("Router:Limits:MaxRequestBodySize", "16M", "Largest request body anywhere else."),
        new("Router:Limits:MaxRequestLineSize", "8K", "Longest request line; longer gets 414."),
        new("Router:Limits:MaxRequestHeadSize", "15K", "Request line plus header lines as forwarded; more gets 431 (Synapse's HTTP stack closes the connection beyond 16 KiB)."),
        new("Router:Limits:MaxConnections", "40000", "Client connections open at once (20,000 users with a long-poll and a second connection each); beyond it new connections are closed."),
        new("Router:Limits:KeepAliveTimeout", "130", "Seconds an idle client connection is kept."),
        new("Router:Limits:RequestHeadersTimeout", "30", "Seconds a client has to send the request line and headers."),
        new("Router:Limits:MinRequestBodyDataRate", "240", "Bytes per second a request body must keep up after a 5 s grace period, else the request is ended."),
        new("Router:Limits:ActivityTimeout", "120", "Seconds a forwarded request may make no progress (must exceed the longest /sync timeout)."),
        new("Router:Limits:ConnectTimeout", "5", "Seconds to connect to an instance before trying another."),
        new("Router:Limits:InitialSyncConcurrency", "4", "Initial syncs in flight per initial-synchrotron instance."),
        new("Router:Dns:RefreshInterval", "30", "Seconds between DNS re-resolutions of destination host names (0: never)."),
        new("Router:RetryAfter", "5", "Retry-After seconds sent with a 503."),
    ];

    /// <summary>Whether <paramref name="key"/> (a full configuration path under <c>Router:</c>) is a setting listed above.</summary>
    public static bool IsKnown(string key)
    {
        foreach (var setting in All)
        {
            var family = setting.Key.IndexOf(":<", StringComparison.Ordinal);
            if (family < 0
                ? key.Equals(setting.Key, StringComparison.OrdinalIgnoreCase)
                : key.StartsWith(setting.Key[..(family + 1)], StringComparison.OrdinalIgnoreCase) || key.Equals(setting.Key[..family], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        // List settings take entries by index: Router:AdminAllowList:0.
        return key.StartsWith("Router:AdminAllowList:", StringComparison.OrdinalIgnoreCase)
            || key.StartsWith("Router:TrustedProxies:", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The text <c>Matrix.Router --help</c> prints.</summary>
    public static string Help()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("Matrix.Router: routes Matrix requests to Synapse worker pools (docs/router.md).");
        text.AppendLine();
        text.AppendLine("Usage: Matrix.Router [--urls http://0.0.0.0:8008] [--Router:<setting>=<value> ...]");
        text.AppendLine("Settings come from appsettings.json, environment variables (Router__Limits__MaxConnections=...) and the command line.");
        text.AppendLine("Durations are seconds (5, 0.5) or hh:mm:ss; sizes are bytes with an optional K, M or G suffix.");
        text.AppendLine();
        var width = All.Max(s => s.Key.Length);
        text.AppendLine($"{"setting".PadRight(width)}  {"default",-16}  meaning");
        foreach (var setting in All)
        {
            text.AppendLine($"{setting.Key.PadRight(width)}  {setting.Default,-16}  {setting.Meaning}");
        }
        return text.ToString();
    }
}
