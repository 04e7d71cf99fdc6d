using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Matrix.Router.Configuration;
using Matrix.Router.Routing;
using Matrix.Router.Telemetry;
using Matrix.Stack.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Internal;
using Microsoft.Extensions.Logging;

namespace Matrix.Router.Balancing;

/// <summary>
/// The key of the <c>access-token-user</c> balance: the user behind an access token. Opaque tokens (MAS's above all)
/// name no user, so hashing the token pins a device, not a user; this asks Synapse once per token
/// (<c>GET /_matrix/client/v3/account/whoami</c> with that token, on an instance of the request's pool that serves the
/// client API, else on main) and remembers the answer in a bounded, expiring cache (<see cref="UserKeyOptions"/>).
/// <para>
/// Requests never wait: until a token is resolved, and whenever the lookup fails, the token itself is the key (exactly
/// the <c>access-token</c> balance). A token Synapse rejects (401/403) is remembered in a cache of its own (refused
/// tokens cannot push users out), so it is not asked about again until it expires. Each client address has a budget
/// of lookups (<see cref="LookupBudget"/>): a client sending random tokens costs Synapse a few whoami requests, not
/// one per request, and a token not looked up leaves nothing behind. No token is kept: the caches are keyed by a
/// 128-bit hash seeded per process, and hold only the user's hash. No token is logged: lookups log their instance and
/// outcome only.
/// </para>
/// </summary>
public sealed partial class AccessTokenUsers : IDisposable
{
    public const string WhoAmIPath = "/_matrix/client/v3/account/whoami";

    private readonly RoutingTable _table;
    private readonly UserKeyOptions _options;
    private readonly RouterMetrics _metrics;
    private readonly ILogger<AccessTokenUsers> _logger;
    private readonly MemoryCache _cache;
    private readonly MemoryCache _refused;
    private readonly LookupBudget _budget;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<UInt128, byte> _pending = new();
    // Random per process: nobody can choose a token that lands on another token's cache entry.
    private readonly long _seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
    private int _inFlight;

    public AccessTokenUsers(RoutingTable table, RouterOptions options, TimeProvider time, RouterMetrics metrics, ILogger<AccessTokenUsers> logger)
    {
        _table = table;
        _options = options.UserKey;
        _metrics = metrics;
        _logger = logger;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.CacheSize, Clock = new TimeProviderClock(time) });
        _refused = new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.RefusedCacheSize, Clock = new TimeProviderClock(time) });
        _budget = new LookupBudget(_options.LookupBurstPerClient, _options.LookupsPerMinutePerClient, time);
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = options.Limits.ConnectTimeout,
        })
        {
            Timeout = _options.LookupTimeout,
            DefaultRequestVersion = HttpVersion.Version11,
        };
    }

    /// <summary>The balance key of <paramref name="request"/>: its token's user when known, else its token, else the client address.</summary>
    public ulong KeyFor(HttpRequest request, ReadOnlySpan<char> query, PoolType pool, IPAddress client)
    {
        var token = BalanceKey.AccessToken(request.Headers.Authorization, query);
        return token.IsEmpty ? BalanceKey.Hash(client) : KeyFor(token, pool, client, out _);
    }

    /// <summary>The key for <paramref name="token"/> sent from loopback (tests).</summary>
    internal ulong KeyFor(ReadOnlySpan<char> token, PoolType pool, out Task? lookup) => KeyFor(token, pool, IPAddress.Loopback, out lookup);

    /// <summary>
    /// The key for <paramref name="token"/>; starts a lookup (returned in <paramref name="lookup"/>, for tests to await)
    /// when the token is not known, was not refused, none is under way and <paramref name="client"/> has budget left.
    /// </summary>
    internal ulong KeyFor(ReadOnlySpan<char> token, PoolType pool, IPAddress client, out Task? lookup)
    {
        lookup = null;
        // A token from the query may be percent-encoded: both spellings are one token (as BalanceKey hashes them).
        var decoded = token.Contains('%') ? Uri.UnescapeDataString(token.ToString()) : null;
        var plain = decoded is null ? token : decoded.AsSpan();
        var cacheKey = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(plain), _seed);
        if (_cache.TryGetValue(cacheKey, out ulong known))
        {
            return known;
        }
        var tokenKey = KeyHash.Of(plain);
        if (!_refused.TryGetValue(cacheKey, out _))
        {
            lookup = TryStartLookup(cacheKey, plain, pool, tokenKey, client);
        }
        return tokenKey;
    }

    public void Dispose()
    {
        _cache.Dispose();
        _refused.Dispose();
        _http.Dispose();
    }

    private Task? TryStartLookup(UInt128 cacheKey, ReadOnlySpan<char> token, PoolType pool, ulong tokenKey, IPAddress client)
    {
        if (!IsSendable(token))
        {
            return null;
        }
        if (Interlocked.Increment(ref _inFlight) > _options.MaxConcurrentLookups || !_pending.TryAdd(cacheKey, 0))
        {
            Interlocked.Decrement(ref _inFlight);
            return null;
        }
        if (!_budget.TryTake(client))
        {
            _pending.TryRemove(cacheKey, out _);
            Interlocked.Decrement(ref _inFlight);
            _metrics.UserLookup("over_budget");
            return null;
        }
        var text = token.ToString();
        return Task.Run(() => LookupAsync(cacheKey, text, pool, tokenKey));
    }

    private async Task LookupAsync(UInt128 cacheKey, string token, PoolType pool, ulong tokenKey)
    {
        var instance = AskWhom(pool, tokenKey);
        try
        {
            if (instance is null)
            {
                _metrics.UserLookup("unavailable");
                return;
            }
            using var request = new HttpRequestMessage(HttpMethod.Get, instance.DestinationPrefix + WhoAmIPath);
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                _refused.Set(cacheKey, true, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _options.Expiry });
                _metrics.UserLookup("rejected");
                return;
            }
            if (response.StatusCode == HttpStatusCode.OK && await UserIdAsync(response) is { Length: > 0 } userId)
            {
                Remember(cacheKey, KeyHash.Of(userId.AsSpan()));
                _metrics.UserLookup("resolved");
                return;
            }
            _metrics.UserLookup("failed");
            LogLookupFailed(instance.DestinationPrefix, $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or IOException)
        {
            // The type only: an exception message could quote what was sent.
            _metrics.UserLookup("failed");
            LogLookupFailed(instance?.DestinationPrefix ?? "-", e.GetType().Name);
        }
        finally
        {
            _pending.TryRemove(cacheKey, out _);
            Interlocked.Decrement(ref _inFlight);
        }
    }

    // The instance the token's own hash picks in the request's pool (whoami is a client API request), else main.
    private PoolInstance? AskWhom(PoolType pool, ulong tokenKey)
    {
        foreach (var candidate in new[] { pool, PoolType.Main })
        {
            if (_table[candidate] is { } backend
                && WorkerCatalog.Get(candidate) is { IsSynapseProcess: true } definition
                && (candidate == PoolType.Main || definition.PublicResources.Contains(ListenerResource.Client)))
            {
                var index = InstancePicker.BestByHash(backend.Instances, tokenKey, null, 0);
                if (index >= 0)
                {
                    return backend.Instances[index];
                }
            }
        }
        return null;
    }

    private void Remember(UInt128 cacheKey, ulong key) =>
        _cache.Set(cacheKey, key, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _options.Expiry });

    private static async Task<string?> UserIdAsync(HttpResponseMessage response)
    {
        await using var body = await response.Content.ReadAsStreamAsync();
        using var json = await JsonDocument.ParseAsync(body);
        return json.RootElement.ValueKind == JsonValueKind.Object
            && json.RootElement.TryGetProperty("user_id", out var userId)
            && userId.ValueKind == JsonValueKind.String
            ? userId.GetString()
            : null;
    }

    // Only what can travel in an Authorization header as sent (visible ASCII); anything else stays keyed by itself.
    private static bool IsSendable(ReadOnlySpan<char> token) => token.Length <= 4096 && !token.ContainsAnyExceptInRange('!', '~');

    [LoggerMessage(Level = LogLevel.Debug, Message = "whoami on {Instance} failed ({Problem}); the token stays its own balance key until a later request")]
    private partial void LogLookupFailed(string instance, string problem);

    /// <summary>MemoryCache reads time through <see cref="ISystemClock"/>; the router (and tests) give it a <see cref="TimeProvider"/>.</summary>
    private sealed class TimeProviderClock(TimeProvider time) : ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
