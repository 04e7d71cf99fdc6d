using Matrix.Stack.Catalog;
using Microsoft.Extensions.Configuration;

namespace Matrix.Router.Configuration;

/// <summary>
/// Destinations from Aspire service discovery: the AppHost's <c>WithReference(synapse-synchrotron-1)</c> sets
/// <c>services__synapse-synchrotron-1__http__0=http://localhost:51234</c>. A service named <c>{prefix}{pool}</c> or
/// <c>{prefix}{pool}-{n}</c> (the instance names of Matrix.Stack's layout) belongs to that pool; the service <c>mas</c> is MAS (the mas pool);
/// other services without the prefix are not Synapse processes and are ignored.
/// </summary>
internal static class ServiceDiscoveryVariables
{
    /// <summary>The AppHost's MAS resource: the one service without the prefix that the router forwards to (the mas pool).</summary>
    public const string MasServiceName = "mas";

    public static void Read(IConfigurationSection services, string prefix, List<PoolDestination> destinations, List<string> problems)
    {
        foreach (var service in services.GetChildren())
        {
            // '_' for '-' as in pool settings: services__synapse_client_reader_1__http__0 can be exported from a shell.
            var name = RouterOptionsSetup.PoolNameFromVariable(service.Key);
            var isMas = name.Equals(MasServiceName, StringComparison.OrdinalIgnoreCase);
            if (!isMas && !name.StartsWith(RouterOptionsSetup.PoolNameFromVariable(prefix), StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var setting = $"services__{service.Key}";
            if ((isMas ? PoolType.Mas : PoolOf(name[prefix.Length..])) is not { } pool)
            {
                problems.Add($"{setting}: '{service.Key}' does not name a Synapse pool instance ('{prefix}<pool>' or '{prefix}<pool>-<n>', e.g. {prefix}synchrotron-1)");
                continue;
            }
            // Plain HTTP inside the cluster is what Synapse's listeners speak; https is used only when it is all there is.
            var endpoint = service.GetSection("http").GetChildren().Any() ? "http" : "https";
            foreach (var entry in service.GetSection(endpoint).GetChildren())
            {
                var entrySetting = $"{setting}__{endpoint}__{entry.Key}";
                if (RouterOptionsSetup.ParseBaseUrl(entrySetting, entry.Value, problems) is { } uri)
                {
                    destinations.Add(new PoolDestination(pool, uri, entrySetting));
                }
            }
        }
    }

    private static PoolType? PoolOf(string name)
    {
        if (PoolTypeNames.TryParse(name, out var pool))
        {
            return pool;
        }
        var dash = name.LastIndexOf('-');
        if (dash > 0 && name[(dash + 1)..].All(char.IsAsciiDigit) && dash < name.Length - 1 && PoolTypeNames.TryParse(name[..dash], out pool))
        {
            return pool;
        }
        return null;
    }
}
