using Matrix.Stack.Catalog;
using Microsoft.Extensions.Logging;

namespace Matrix.Router.Configuration;

/// <summary>
/// What the router logs once at start: who may reach the admin API and status page, which proxies are believed, and
/// one line per pool (instances, balance, fallback). Enough to see from the log alone whether a deployment set the
/// router up as intended, in particular whether the admin API is open wider than it should be.
/// </summary>
internal static partial class StartupSummary
{
    public static void Log(ILogger logger, RouterOptions options, ConnectionCapacity capacity)
    {
        if (capacity.IsReduced)
        {
            LogCapacityReduced(logger, capacity.Configured, capacity.OpenFileLimit!.Value, capacity.Effective, capacity.OpenFilesNeeded);
        }
        else
        {
            LogCapacity(logger, capacity.Effective, capacity.OpenFileLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown");
        }
        LogAdmin(logger, options.AdminAllowList.ToString(), options.TrustedProxies.ToString());
        LogMasApi(logger, options.MasApiAllowList.ToString());
        foreach (var (pool, destinations) in options.Pools.OrderBy(p => p.Key))
        {
            var definition = WorkerCatalog.Get(pool);
            var fallback = definition.Fallback.Where(options.Pools.ContainsKey).Select(f => f.Name()).ToList();
            LogPool(logger, definition.Name, destinations.Count, string.Join(", ", destinations.Select(d => d.BaseUrl.GetLeftPart(UriPartial.Authority))),
                options.Balance.GetValueOrDefault(pool, definition.Balance).Name(), fallback.Count > 0 ? string.Join(" > ", fallback) : "none");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Client connections: at most {Connections} at once (Router:Limits:MaxConnections); open-file limit {OpenFileLimit}")]
    private static partial void LogCapacity(ILogger logger, long connections, string openFileLimit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Router:Limits:MaxConnections is {Configured} but the process may open only {OpenFileLimit} files (ulimit -n), two per client connection: at most {Connections} client connections are accepted, further ones are closed at once. Raise the open-file limit to {Needed} (ulimit -n, the container runtime's nofile) or lower Router:Limits:MaxConnections")]
    private static partial void LogCapacityReduced(ILogger logger, long configured, long openFileLimit, long connections, long needed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin API (/_synapse/admin/*) and /_router/status are reachable from: {AdminNetworks} (Router:AdminAllowList); X-Forwarded-For is believed from: {TrustedProxies} (Router:TrustedProxies); a request with X-Forwarded-For, Forwarded or X-Real-IP from any other peer matches no allow-list (a proxy on this host does not make its clients loopback)")]
    private static partial void LogAdmin(ILogger logger, string adminNetworks, string trustedProxies);

    [LoggerMessage(Level = LogLevel.Information, Message = "Synapse's API for MAS (/_synapse/mas/*) is reachable from: {MasNetworks} (Router:MasApiAllowList)")]
    private static partial void LogMasApi(ILogger logger, string masNetworks);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: {Count} instance(s) {Instances}; balance {Balance}; fallback {Fallback}")]
    private static partial void LogPool(ILogger logger, string pool, int count, string instances, string balance, string fallback);
}
