using System.Net;
using Matrix.Router.Security;
using Matrix.Stack.Catalog;
using Microsoft.Extensions.Configuration;

namespace Matrix.Router.Configuration;

/// <summary>
/// Reads <see cref="RouterOptions"/> from .NET configuration (appsettings, <c>Router__...</c> environment variables,
/// command line) and from Aspire service-discovery variables, and validates everything before the router starts:
/// every problem is reported at once, each naming its setting.
/// </summary>
public static class RouterOptionsReader
{
    /// <summary>Aspire's service-discovery section: <c>services__{name}__{endpoint}__{index}</c>.</summary>
    public const string ServicesSection = "services";

    public static RouterOptions Read(IConfiguration configuration)
    {
        var problems = new List<string>();
        var parse = new SettingParser(problems);
        var router = configuration.GetSection(RouterOptions.Section);

        var destinations = new List<PoolDestination>();
        ReadPoolSettings(router.GetSection("Pools"), destinations, problems);
        var prefix = router["ServiceNamePrefix"] ?? "synapse-";
        ServiceDiscoveryVariables.Read(configuration.GetSection(ServicesSection), prefix, destinations, problems);
        var pools = GroupAndValidatePools(destinations, problems);

        var health = new ActiveHealthOptions
        {
            Interval = parse.Duration("Router:Health:Interval", router["Health:Interval"], TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50)),
            Timeout = parse.Duration("Router:Health:Timeout", router["Health:Timeout"], TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(50)),
            Path = router["Health:Path"] ?? "/health",
            UnhealthyThreshold = parse.Integer("Router:Health:UnhealthyThreshold", router["Health:UnhealthyThreshold"], 2, 1, 100),
            HealthyThreshold = parse.Integer("Router:Health:HealthyThreshold", router["Health:HealthyThreshold"], 1, 1, 100),
        };
        if (!health.Path.StartsWith('/'))
        {
            problems.Add($"Router:Health:Path: '{health.Path}' must start with '/'");
        }

        var passive = new PassiveHealthOptions
        {
            ConsecutiveFailures = parse.Integer("Router:PassiveHealth:ConsecutiveFailures", router["PassiveHealth:ConsecutiveFailures"], 5, 1, 1000),
            FailureRate = parse.Fraction("Router:PassiveHealth:FailureRate", router["PassiveHealth:FailureRate"], 0.3),
            Window = parse.Duration("Router:PassiveHealth:Window", router["PassiveHealth:Window"], TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1)),
            MinimumRequests = parse.Integer("Router:PassiveHealth:MinimumRequests", router["PassiveHealth:MinimumRequests"], 10, 1, 1_000_000),
        };

        var limits = new RouterLimits
        {
            MaxRequestLineSize = parse.Size("Router:Limits:MaxRequestLineSize", router["Limits:MaxRequestLineSize"], 8 * 1024),
            MaxRequestHeadSize = parse.Size("Router:Limits:MaxRequestHeadSize", router["Limits:MaxRequestHeadSize"], 15 * 1024),
            MaxConnections = parse.Integer("Router:Limits:MaxConnections", router["Limits:MaxConnections"], 40_000, 1, 10_000_000),
            KeepAliveTimeout = parse.Duration("Router:Limits:KeepAliveTimeout", router["Limits:KeepAliveTimeout"], TimeSpan.FromSeconds(130), TimeSpan.FromSeconds(1)),
            RequestHeadersTimeout = parse.Duration("Router:Limits:RequestHeadersTimeout", router["Limits:RequestHeadersTimeout"], TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100)),
            MinRequestBodyDataRate = parse.Integer("Router:Limits:MinRequestBodyDataRate", router["Limits:MinRequestBodyDataRate"], 240, 1, int.MaxValue),
            MaxUploadSize = parse.Size("Router:Limits:MaxUploadSize", router["Limits:MaxUploadSize"], 100 * RouterLimits.MiB),
            MaxRequestBodySize = parse.Size("Router:Limits:MaxRequestBodySize", router["Limits:MaxRequestBodySize"], 16 * RouterLimits.MiB),
            ActivityTimeout = parse.Duration("Router:Limits:ActivityTimeout", router["Limits:ActivityTimeout"], TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(1)),
            ConnectTimeout = parse.Duration("Router:Limits:ConnectTimeout", router["Limits:ConnectTimeout"], TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100)),
            InitialSyncConcurrency = parse.Integer("Router:Limits:InitialSyncConcurrency", router["Limits:InitialSyncConcurrency"], 4, 1, 10_000),
        };

        var masPathPrefix = router["MasPathPrefix"];
        if (masPathPrefix is not null && (!masPathPrefix.StartsWith('/') || masPathPrefix.TrimEnd('/').Length == 0
            || masPathPrefix.IndexOfAny(['*', '{', '}', '?', '#']) >= 0))
        {
            problems.Add($"Router:MasPathPrefix: '{masPathPrefix}' is not a path prefix such as /auth/ (it must start with '/' and not be '/')");
        }
        else if (masPathPrefix is not null && !pools.ContainsKey(PoolType.Mas))
        {
            problems.Add("Router:MasPathPrefix: set, but there is no mas pool (Router:Pools:mas or the mas service) to send it to");
        }

        var options = new RouterOptions
        {
            Pools = pools,
            MasPathPrefix = masPathPrefix,
            Health = health,
            PassiveHealth = passive,
            Limits = limits,
            DnsRefreshInterval = parse.Duration("Router:Dns:RefreshInterval", router["Dns:RefreshInterval"], TimeSpan.FromSeconds(30), TimeSpan.Zero),
            RetryAfter = parse.Duration("Router:RetryAfter", router["RetryAfter"], TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)),
            TrustedProxies = ReadNetworks(router.GetSection("TrustedProxies"), "Router:TrustedProxies", IpNetworkList.None, problems),
            AdminAllowList = ReadNetworks(router.GetSection("AdminAllowList"), "Router:AdminAllowList", IpNetworkList.Loopback, problems),
        };

        foreach (var (key, value) in router.AsEnumerable())
        {
            // Sections appear too, without a value; only leaves are settings. A misspelt key would be ignored silently.
            if (value is not null && !RouterSettings.IsKnown(key))
            {
                problems.Add($"{key}: unknown setting; known settings: {string.Join(", ", RouterSettings.All.Select(s => s.Key))} (Matrix.Router --help)");
            }
        }

        if (problems.Count > 0)
        {
            throw new RouterConfigurationException(problems);
        }
        return options;
    }

    /// <summary>Parses one destination base URL; null (and a problem naming <paramref name="setting"/>) when unusable.</summary>
    internal static Uri? ParseBaseUrl(string setting, string? value, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{setting}: empty; expected a base URL such as http://synapse-main:8008");
            return null;
        }
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"{setting}: '{value}' is not an http:// or https:// URL");
            return null;
        }
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            problems.Add($"{setting}: '{value}' must be a base URL (scheme, host and port only: Synapse paths are absolute)");
            return null;
        }
        return uri;
    }

    // Router:Pools:<pool>:<index> = URL, or Router:Pools:<pool> = URL for a single instance.
    private static void ReadPoolSettings(IConfigurationSection pools, List<PoolDestination> destinations, List<string> problems)
    {
        foreach (var pool in pools.GetChildren())
        {
            var setting = $"Router:Pools:{pool.Key}";
            if (!PoolTypeNames.TryParse(PoolNameFromVariable(pool.Key), out var type))
            {
                problems.Add($"{setting}: unknown pool '{pool.Key}'; known pools: {string.Join(", ", PoolTypeNames.All.Order())}");
                continue;
            }
            var entries = pool.GetChildren().ToList();
            if (entries.Count == 0 && pool.Value is not null)
            {
                AddDestination(type, setting, pool.Value);
            }
            foreach (var entry in entries)
            {
                AddDestination(type, $"{setting}:{entry.Key}", entry.Value);
            }
        }

        void AddDestination(PoolType type, string setting, string? value)
        {
            if (ParseBaseUrl(setting, value, problems) is { } uri)
            {
                destinations.Add(new PoolDestination(type, uri, setting));
            }
        }
    }

    /// <summary>
    /// Pool names contain '-', which a shell cannot put in an environment variable name: <c>client_reader</c> is
    /// accepted for <c>client-reader</c> wherever a pool name comes from configuration.
    /// </summary>
    internal static string PoolNameFromVariable(string name) => name.Replace('_', '-');

    private static Dictionary<PoolType, IReadOnlyList<PoolDestination>> GroupAndValidatePools(List<PoolDestination> destinations, List<string> problems)
    {
        var pools = new Dictionary<PoolType, IReadOnlyList<PoolDestination>>();
        foreach (var group in destinations.GroupBy(d => d.Pool))
        {
            var definition = WorkerCatalog.Get(group.Key);
            var unique = group.DistinctBy(d => d.BaseUrl.AbsoluteUri).ToList();
            if (!definition.ServesRequests)
            {
                problems.Add($"Router:Pools:{definition.Name}: the {definition.Name} pool serves no HTTP requests (it has no public listener); remove it from the router");
                continue;
            }
            if (!definition.AllowsMultipleInstances && unique.Count > 1)
            {
                problems.Add($"Router:Pools:{definition.Name}: {unique.Count} instances configured, but Synapse allows only one {definition.Name}");
            }
            pools[group.Key] = unique;
        }
        if (!pools.ContainsKey(PoolType.Main))
        {
            problems.Add("Router:Pools:main: required (e.g. Router__Pools__main__0=http://synapse-main:8008); the main process serves everything no worker does");
        }
        return pools;
    }

    private static IpNetworkList ReadNetworks(IConfigurationSection section, string setting, IpNetworkList defaultValue, List<string> problems)
    {
        var values = section.GetChildren().Select(c => (Setting: $"{setting}:{c.Key}", Value: c.Value ?? "")).ToList();
        if (values.Count == 0 && section.Value is not null)
        {
            values = section.Value.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries).Select(v => (setting, v)).ToList();
        }
        if (values.Count == 0)
        {
            return defaultValue;
        }
        if (values.Any(v => v.Value.Trim().Equals(IpNetworkList.NoneKeyword, StringComparison.OrdinalIgnoreCase)))
        {
            if (values.Count > 1)
            {
                problems.Add($"{setting}: '{IpNetworkList.NoneKeyword}' must be the only entry");
            }
            return IpNetworkList.None;
        }
        var networks = new List<IPNetwork>();
        foreach (var (entrySetting, value) in values)
        {
            if (IpNetworkList.TryParseNetwork(value, out var network, out var problem))
            {
                networks.Add(network);
            }
            else
            {
                problems.Add($"{entrySetting}: {problem}");
            }
        }
        return new IpNetworkList(networks);
    }
}
