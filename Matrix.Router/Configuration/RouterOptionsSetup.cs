using System.Net;
using Matrix.Router.Security;
using Matrix.ServiceDefaults.Configuration;
using Matrix.Stack.Catalog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Matrix.Router.Configuration;

/// <summary>
/// Reads <see cref="RouterOptions"/> once from .NET configuration (appsettings, <c>Router__...</c> environment
/// variables, command line). Whatever cannot be read becomes a problem
/// naming its key in <see cref="RouterOptions.ReadProblems"/>; <see cref="RouterOptionsValidator"/> reports them.
/// </summary>
internal sealed class RouterOptionsSetup(IConfiguration configuration) : IConfigureOptions<RouterOptions>
{
    public void Configure(RouterOptions options)
    {
        var problems = options.ReadProblems;
        var router = configuration.GetSection(RouterOptions.Section);
        CheckedBinder.Bind(router, options, problems, IsReadHere,
            "; known settings: " + string.Join(", ", RouterSettings.All.Select(s => s.Key)) + " (Matrix.Router --help)");

        var destinations = new List<PoolDestination>();
        ReadPoolSettings(router.GetSection("Pools"), destinations, problems);
        options.Pools = destinations.GroupBy(d => d.Pool)
            .ToDictionary(g => g.Key, IReadOnlyList<PoolDestination> (g) => g.DistinctBy(d => d.BaseUrl.AbsoluteUri).ToList());

        options.Balance = ReadBalance(router.GetSection(nameof(RouterOptions.Balance)), problems);
        options.TrustedProxies = ReadNetworks(router.GetSection(nameof(RouterOptions.TrustedProxies)), options.TrustedProxies, problems);
        options.AdminAllowList = ReadNetworks(router.GetSection(nameof(RouterOptions.AdminAllowList)), options.AdminAllowList, problems);
        options.MasApiAllowList = ReadNetworks(router.GetSection(nameof(RouterOptions.MasApiAllowList)), options.MasApiAllowList, problems);
    }

    // Pools and network lists take several shapes (an indexed list or one comma-separated value): read below.
    private static bool IsReadHere(string key) =>
        new[] { "Pools", nameof(RouterOptions.Balance), nameof(RouterOptions.TrustedProxies), nameof(RouterOptions.AdminAllowList), nameof(RouterOptions.MasApiAllowList) }.Any(family =>
            key.Equals(family, StringComparison.OrdinalIgnoreCase) || key.StartsWith(family + ":", StringComparison.OrdinalIgnoreCase));

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

    /// <summary>
    /// Pool names contain '-', which a shell cannot put in an environment variable name: <c>client_reader</c> is
    /// accepted for <c>client-reader</c> wherever a pool name comes from configuration.
    /// </summary>
    internal static string PoolNameFromVariable(string name) => name.Replace('_', '-');

    // Router:Pools:<pool>:<instance> = URL (Matrix.Stack's wiring names each instance; an index works as well), or
    // Router:Pools:<pool> = URL for a single instance.
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

    // Router:Balance:<pool> = policy name.
    private static Dictionary<PoolType, BalancePolicy> ReadBalance(IConfigurationSection section, List<string> problems)
    {
        var balance = new Dictionary<PoolType, BalancePolicy>();
        foreach (var entry in section.GetChildren())
        {
            var setting = $"Router:Balance:{entry.Key}";
            if (!PoolTypeNames.TryParse(PoolNameFromVariable(entry.Key), out var pool))
            {
                problems.Add($"{setting}: unknown pool '{entry.Key}'; known pools: {string.Join(", ", PoolTypeNames.All.Order())}");
            }
            else if (entry.Value is null || !BalancePolicyNames.TryParse(entry.Value, out var policy))
            {
                problems.Add($"{setting}: '{entry.Value}' is not a balance; known: {string.Join(", ", Enum.GetValues<BalancePolicy>().Select(p => p.Name()))}");
            }
            else
            {
                balance[pool] = policy;
            }
        }
        return balance;
    }

    // Router:AdminAllowList:<index> = network, or Router:AdminAllowList = "a, b"; 'none' alone empties the list.
    private static IpNetworkList ReadNetworks(IConfigurationSection section, IpNetworkList defaultValue, List<string> problems)
    {
        var setting = section.Path;
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
