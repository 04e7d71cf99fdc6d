using Matrix.ServiceDefaults.Configuration;

namespace Matrix.Router.Configuration;

/// <summary>
/// How the <c>access-token-user</c> balance resolves the user behind an access token (<c>Router:UserKey</c>): one
/// <c>whoami</c> per new token, remembered for <see cref="Expiry"/> in a cache of at most <see cref="CacheSize"/>
/// tokens, within a budget of lookups per client address. Used only by pools set to that balance
/// (<c>Router:Balance:&lt;pool&gt;</c>).
/// </summary>
public sealed class UserKeyOptions
{
    /// <summary>Tokens remembered at most (each costs about 100 bytes: no token is kept, only hashes).</summary>
    public int CacheSize { get; set; } = 100_000;

    /// <summary>How long a resolved token keeps its user before it is asked again (tokens never change user; this bounds memory of tokens no longer used).</summary>
    public Duration Expiry { get; set; } = Duration.FromSeconds(600);

    /// <summary>Time one <c>whoami</c> may take; the request it was made for never waits for it.</summary>
    public Duration LookupTimeout { get; set; } = Duration.FromSeconds(5);

    /// <summary><c>whoami</c> requests in flight at once; beyond it new tokens stay on their token's instance until a later request.</summary>
    public int MaxConcurrentLookups { get; set; } = 32;

    /// <summary>
    /// Tokens Synapse refused (401/403), remembered apart from the resolved ones so that they cannot push users out,
    /// for <see cref="Expiry"/>: a refused token is not asked about again while remembered.
    /// </summary>
    public int RefusedCacheSize { get; set; } = 10_000;

    /// <summary>Lookups one client address (IPv4 address, IPv6 /64) may cause at once; beyond it its new tokens are balanced by their hash.</summary>
    public int LookupBurstPerClient { get; set; } = 20;

    /// <summary>Lookups per minute added back to each client address's budget, up to <see cref="LookupBurstPerClient"/>.</summary>
    public double LookupsPerMinutePerClient { get; set; } = 60;
}
