using System.Globalization;
using Matrix.Stack.Catalog;
using Microsoft.Extensions.Options;

namespace Matrix.Router.Configuration;

/// <summary>
/// Checks <see cref="RouterOptions"/> before the router starts (registered with <c>ValidateOnStart</c>), shaped like
/// YARP's <c>ConfigValidator</c>: one check per concern, each adding to one list, so every problem is reported at
/// once and each names its configuration key. Problems found while reading come first.
/// </summary>
internal sealed class RouterOptionsValidator : IValidateOptions<RouterOptions>
{
    public ValidateOptionsResult Validate(string? name, RouterOptions options)
    {
        var errors = new List<string>(options.ReadProblems);
        ValidatePools(errors, options.Pools);
        ValidateMasPathPrefix(errors, options.MasPathPrefix, options.Pools);
        ValidateBalance(errors, options.Balance, options.Pools);
        ValidateUserKey(errors, options.UserKey);
        ValidateHealth(errors, options.Health);
        ValidatePassiveHealth(errors, options.PassiveHealth);
        ValidateLimits(errors, options.Limits);
        ValidateDns(errors, options.Dns);
        AtLeast(errors, "Router:RetryAfter", options.RetryAfter, TimeSpan.FromSeconds(1));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidatePools(List<string> errors, IReadOnlyDictionary<PoolType, IReadOnlyList<PoolDestination>> pools)
    {
        foreach (var (pool, destinations) in pools)
        {
            var definition = WorkerCatalog.Get(pool);
            if (!definition.ServesRequests)
            {
                errors.Add($"Router:Pools:{definition.Name}: the {definition.Name} pool serves no HTTP requests (it has no public listener); remove it from the router");
            }
            else if (!definition.AllowsMultipleInstances && destinations.Count > 1)
            {
                errors.Add($"Router:Pools:{definition.Name}: {destinations.Count} instances configured, but Synapse allows only one {definition.Name}");
            }
        }
        if (!pools.ContainsKey(PoolType.Main))
        {
            errors.Add("Router:Pools:main: required (e.g. Router__Pools__main__0=http://synapse-main:8008); the main process serves everything no worker does");
        }
    }

    private static void ValidateMasPathPrefix(List<string> errors, string? prefix, IReadOnlyDictionary<PoolType, IReadOnlyList<PoolDestination>> pools)
    {
        if (prefix is null)
        {
            return;
        }
        if (!prefix.StartsWith('/') || prefix.TrimEnd('/').Length == 0 || prefix.IndexOfAny(['*', '{', '}', '?', '#']) >= 0)
        {
            errors.Add($"Router:MasPathPrefix: '{prefix}' is not a path prefix such as /auth/ (it must start with '/' and not be '/')");
        }
        else if (!pools.ContainsKey(PoolType.Mas))
        {
            errors.Add("Router:MasPathPrefix: set, but there is no mas pool (Router:Pools:mas or the mas service) to send it to");
        }
    }

    private static void ValidateBalance(List<string> errors, IReadOnlyDictionary<PoolType, BalancePolicy> balance, IReadOnlyDictionary<PoolType, IReadOnlyList<PoolDestination>> pools)
    {
        foreach (var (pool, policy) in balance)
        {
            var definition = WorkerCatalog.Get(pool);
            if (!pools.ContainsKey(pool))
            {
                errors.Add($"Router:Balance:{definition.Name}: set, but there is no {definition.Name} pool (Router:Pools:{definition.Name} or its service) to balance");
            }
            else if (policy == BalancePolicy.AccessTokenUser && !definition.IsSynapseProcess)
            {
                errors.Add($"Router:Balance:{definition.Name}: {policy.Name()} asks Synapse who the user is; {definition.Name} is not a Synapse pool");
            }
        }
    }

    private static void ValidateUserKey(List<string> errors, UserKeyOptions userKey)
    {
        Between(errors, "Router:UserKey:CacheSize", userKey.CacheSize, 1, 100_000_000);
        AtLeast(errors, "Router:UserKey:Expiry", userKey.Expiry, TimeSpan.FromSeconds(1));
        AtLeast(errors, "Router:UserKey:LookupTimeout", userKey.LookupTimeout, TimeSpan.FromMilliseconds(100));
        Between(errors, "Router:UserKey:MaxConcurrentLookups", userKey.MaxConcurrentLookups, 1, 10_000);
        Between(errors, "Router:UserKey:RefusedCacheSize", userKey.RefusedCacheSize, 1, 100_000_000);
        Between(errors, "Router:UserKey:LookupBurstPerClient", userKey.LookupBurstPerClient, 1, 1_000_000);
        if (!(userKey.LookupsPerMinutePerClient > 0 && userKey.LookupsPerMinutePerClient <= 1_000_000))
        {
            errors.Add($"Router:UserKey:LookupsPerMinutePerClient: {Text(userKey.LookupsPerMinutePerClient)} must be above 0 and at most 1000000");
        }
    }

    private static void ValidateHealth(List<string> errors, ActiveHealthOptions health)
    {
        AtLeast(errors, "Router:Health:Interval", health.Interval, TimeSpan.FromMilliseconds(50));
        AtLeast(errors, "Router:Health:Timeout", health.Timeout, TimeSpan.FromMilliseconds(50));
        if (!health.Path.StartsWith('/'))
        {
            errors.Add($"Router:Health:Path: '{health.Path}' must start with '/'");
        }
        Between(errors, "Router:Health:UnhealthyThreshold", health.UnhealthyThreshold, 1, 100);
        Between(errors, "Router:Health:HealthyThreshold", health.HealthyThreshold, 1, 100);
    }

    private static void ValidatePassiveHealth(List<string> errors, PassiveHealthOptions passive)
    {
        Between(errors, "Router:PassiveHealth:ConsecutiveFailures", passive.ConsecutiveFailures, 1, 1000);
        if (!(passive.FailureRate > 0 && passive.FailureRate <= 1))
        {
            errors.Add($"Router:PassiveHealth:FailureRate: {Text(passive.FailureRate)} must be a fraction above 0 and at most 1 (such as 0.3)");
        }
        AtLeast(errors, "Router:PassiveHealth:Window", passive.Window, TimeSpan.FromSeconds(1));
        Between(errors, "Router:PassiveHealth:MinimumRequests", passive.MinimumRequests, 1, 1_000_000);
    }

    private static void ValidateLimits(List<string> errors, RouterLimits limits)
    {
        Between(errors, "Router:Limits:MaxConnections", limits.MaxConnections, 1, 10_000_000);
        AtLeast(errors, "Router:Limits:KeepAliveTimeout", limits.KeepAliveTimeout, TimeSpan.FromSeconds(1));
        AtLeast(errors, "Router:Limits:RequestHeadersTimeout", limits.RequestHeadersTimeout, TimeSpan.FromMilliseconds(100));
        if (!(limits.MinRequestBodyDataRate >= 1 && limits.MinRequestBodyDataRate <= int.MaxValue))
        {
            errors.Add($"Router:Limits:MinRequestBodyDataRate: {Text(limits.MinRequestBodyDataRate)} must be from 1 to {int.MaxValue} bytes per second");
        }
        AtLeast(errors, "Router:Limits:ActivityTimeout", limits.ActivityTimeout, TimeSpan.FromSeconds(1));
        AtLeast(errors, "Router:Limits:ConnectTimeout", limits.ConnectTimeout, TimeSpan.FromMilliseconds(100));
        Between(errors, "Router:Limits:InitialSyncConcurrency", limits.InitialSyncConcurrency, 1, 10_000);
        // A larger value would forward bodies Synapse resets mid-way, which a client could use to take instances out.
        Between(errors, "Router:Limits:MaxRequestBodySize", limits.MaxRequestBodySize, 1, RouterLimits.SynapseRequestBodyLimit);
    }

    private static void ValidateDns(List<string> errors, DnsOptions dns)
    {
        AtLeast(errors, "Router:Dns:RefreshInterval", dns.RefreshInterval, TimeSpan.Zero);
        if (string.IsNullOrEmpty(dns.NameServer))
        {
            return;
        }
        if (!DnsOptions.TryParseNameServer(dns.NameServer, out _))
        {
            errors.Add($"Router:Dns:NameServer: '{dns.NameServer}' is not a name server address; expected {DnsOptions.NameServerFormat}");
        }
        else if (dns.RefreshInterval == TimeSpan.Zero)
        {
            // Without expansion HttpClient resolves destination names with the system resolver: the server would be ignored.
            errors.Add("Router:Dns:NameServer: set, but Router:Dns:RefreshInterval is 0 (names are not expanded), so it would never be asked");
        }
    }

    private static void AtLeast(List<string> errors, string key, TimeSpan value, TimeSpan minimum)
    {
        if (value < minimum)
        {
            errors.Add($"{key}: {Text(value.TotalSeconds)} s is below the minimum of {Text(minimum.TotalSeconds)} s");
        }
    }

    private static void Between(List<string> errors, string key, long value, long minimum, long maximum)
    {
        if (value < minimum || value > maximum)
        {
            errors.Add($"{key}: {value} must be a whole number from {minimum} to {maximum}");
        }
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
