using Matrix.Router.Balancing;
using Matrix.Stack.Catalog;
using Matrix.Tests.Router.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Matrix.Tests.Router;

/// <summary>
/// The <c>access-token-user</c> balance against the router over HTTP, with stand-in Synapse processes answering
/// <c>whoami</c>: every token of one user lands on the user's instance once resolved, a token is its own key until then
/// and whenever Synapse cannot say, a token is asked about once, and the cache keeps its bound and expiry (time moved
/// by a <see cref="FakeTimeProvider"/>, never slept).
/// </summary>
public sealed class AccessTokenUserBalanceTests : IAsyncLifetime
{
    private const string Alice = "@alice:example.org";
    private const string SyncTarget = "/_matrix/client/v3/sync?since=s1&timeout=0";

    private readonly Dictionary<string, string> _users = [];
    private FakeSynapseLayout _layout = null!;

    public async ValueTask InitializeAsync()
    {
        _layout = await FakeSynapseLayout.StartAsync(("main", 1), ("synchrotron", 4));
        foreach (var instance in _layout.Instances)
        {
            instance.Users = _users;
        }
    }

    public async ValueTask DisposeAsync() => await _layout.DisposeAsync();

    private IReadOnlyList<FakeSynapseInstance> Synchrotrons => _layout.Pool("synchrotron");

    private int WhoAmICount => _layout.Instances.Sum(i => i.WhoAmITokens.Count);

    private Task<RouterUnderTest> StartRouterAsync(FakeTimeProvider? time = null, params (string Key, string Value)[] settings)
    {
        var all = settings.ToDictionary(s => s.Key, string? (s) => s.Value);
        all["Router:Balance:synchrotron"] = "access-token-user";
        return RouterUnderTest.StartAsync(_layout.Instances, all, time is null ? null : services => services.AddSingleton<TimeProvider>(time));
    }

    // The instance rendezvous hashing picks for a key, computed here as docs/router.md describes it.
    private string InstanceFor(string key) =>
        Synchrotrons.MaxBy(i => KeyHash.Score(KeyHash.Of(key.AsSpan()), KeyHash.Of(i.Url.AsSpan())))!.Instance;

    /// <summary>Tokens of <paramref name="user"/> whose own hash would put them elsewhere than the user's instance (so a test can fail).</summary>
    private List<string> TokensAwayFromTheUser(string user, int count)
    {
        var tokens = Enumerable.Range(0, 200).Select(n => $"mat_{user.Trim('@').Split(':')[0]}_device{n}_Xq7")
            .Where(t => InstanceFor(t) != InstanceFor(user)).Take(count).ToList();
        foreach (var token in tokens)
        {
            _users[token] = user;
        }
        return tokens;
    }

    private static Action<HttpRequestMessage> Bearer(string token) => r => r.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");

    [Fact]
    public async Task TwoTokensOfOneUserLandOnTheUsersInstanceOnceResolvedAndEachTokenIsAskedAboutOnce()
    {
        var tokens = TokensAwayFromTheUser(Alice, 2);
        await using var router = await StartRouterAsync();

        foreach (var token in tokens)
        {
            // Before resolution the token is the key: the first request lands where access-token would put it.
            Assert.Equal(InstanceFor(token), await router.ServedByAsync(SyncTarget, Bearer(token)));
            await Eventually.HoldsAsync(async () => await router.ServedByAsync(SyncTarget, Bearer(token)) == InstanceFor(Alice),
                "the token's user to be resolved");
        }
        var served = new HashSet<string>();
        for (var n = 0; n < 5; n++)
        {
            served.Add(await router.ServedByAsync(SyncTarget, Bearer(tokens[0])));
            served.Add(await router.ServedByAsync($"/_matrix/client/v3/sync?since=s{n}&access_token={Uri.EscapeDataString(tokens[1])}"));
        }
        Assert.Equal(InstanceFor(Alice), Assert.Single(served));
        // One whoami per token, each with that token, however many requests it made.
        Assert.Equal(tokens.Order(), _layout.Instances.SelectMany(i => i.WhoAmITokens).Order());
        // Synapse was asked with the token; the router's log never shows it.
        Assert.All(tokens, token => Assert.DoesNotContain(token, router.Logs.All, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OtherPoolsKeepTheirBalanceAndTheDefaultIsUnchanged()
    {
        var token = TokensAwayFromTheUser(Alice, 1)[0];
        await using var router = await RouterUnderTest.StartAsync(_layout.Instances);
        for (var n = 0; n < 3; n++)
        {
            Assert.Equal(InstanceFor(token), await router.ServedByAsync(SyncTarget, Bearer(token)));
        }
        Assert.Equal(0, WhoAmICount);
    }

    [Fact]
    public async Task WhoAmIFailuresLeaveTheTokenAsTheKeyAndEveryRequestIsServed()
    {
        var token = TokensAwayFromTheUser(Alice, 1)[0];
        foreach (var instance in _layout.Instances)
        {
            instance.WhoAmIStatus = 500;
        }
        await using var router = await StartRouterAsync();

        Assert.Equal(InstanceFor(token), await router.ServedByAsync(SyncTarget, Bearer(token)));
        await Eventually.HoldsAsync(() => Task.FromResult(WhoAmICount >= 1), "a whoami to be tried");
        // A failure is not remembered: later requests ask again, and stay on the token's instance meanwhile.
        await Eventually.HoldsAsync(async () =>
        {
            Assert.Equal(InstanceFor(token), await router.ServedByAsync(SyncTarget, Bearer(token)));
            return WhoAmICount >= 2;
        }, "a second whoami after the failure");

        // Once Synapse answers, the user is the key.
        foreach (var instance in _layout.Instances)
        {
            instance.WhoAmIStatus = null;
        }
        await Eventually.HoldsAsync(async () => await router.ServedByAsync(SyncTarget, Bearer(token)) == InstanceFor(Alice), "the user to be resolved after recovery");
    }

    [Fact]
    public async Task UnreachableSynapseLeavesTheTokenAsTheKey()
    {
        var token = TokensAwayFromTheUser(Alice, 1)[0];
        await using var router = await StartRouterAsync();
        var users = router.Services.GetRequiredService<AccessTokenUsers>();
        // Every instance stopped: the lookup cannot connect, and the key stays the token's.
        foreach (var instance in _layout.Instances)
        {
            await instance.StopAsync();
        }
        var key = users.KeyFor(token, PoolType.Synchrotron, out var lookup);
        Assert.Equal(KeyHash.Of(token.AsSpan()), key);
        if (lookup is not null)
        {
            await lookup;
        }
        Assert.Equal(KeyHash.Of(token.AsSpan()), users.KeyFor(token, PoolType.Synchrotron, out _));
        Assert.Equal(0, WhoAmICount);
    }

    [Fact]
    public async Task ATokenSynapseRejectsStaysItsOwnKeyAndIsAskedAboutOnce()
    {
        const string unknown = "mat_not_a_valid_token_77";
        await using var router = await StartRouterAsync();
        Assert.Equal(InstanceFor(unknown), await router.ServedByAsync(SyncTarget, Bearer(unknown)));
        await Eventually.HoldsAsync(() => Task.FromResult(WhoAmICount == 1), "the whoami of the unknown token");
        var users = router.Services.GetRequiredService<AccessTokenUsers>();
        await Eventually.HoldsAsync(() =>
        {
            users.KeyFor(unknown, PoolType.Synchrotron, out var lookup);
            return Task.FromResult(lookup is null);
        }, "the rejection to be remembered");
        for (var n = 0; n < 5; n++)
        {
            Assert.Equal(InstanceFor(unknown), await router.ServedByAsync(SyncTarget, Bearer(unknown)));
        }
        Assert.Equal(1, WhoAmICount);
    }

    [Fact]
    public async Task AResolvedTokenIsForgottenAfterTheExpiryAndAskedAboutAgain()
    {
        var token = TokensAwayFromTheUser(Alice, 1)[0];
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-08-01T12:00:00Z"));
        await using var router = await StartRouterAsync(time, ("Router:UserKey:Expiry", "60"));
        var users = router.Services.GetRequiredService<AccessTokenUsers>();
        var tokenKey = KeyHash.Of(token.AsSpan());
        var userKey = KeyHash.Of(Alice.AsSpan());

        Assert.Equal(tokenKey, users.KeyFor(token, PoolType.Synchrotron, out var lookup));
        await Assert.IsAssignableFrom<Task>(lookup);
        Assert.Equal(userKey, users.KeyFor(token, PoolType.Synchrotron, out lookup));
        Assert.Null(lookup);

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(userKey, users.KeyFor(token, PoolType.Synchrotron, out lookup));
        Assert.Null(lookup);
        Assert.Equal(1, WhoAmICount);

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(tokenKey, users.KeyFor(token, PoolType.Synchrotron, out lookup));
        await Assert.IsAssignableFrom<Task>(lookup);
        Assert.Equal(2, WhoAmICount);
        Assert.Equal(userKey, users.KeyFor(token, PoolType.Synchrotron, out _));
    }

    [Fact]
    public async Task TheCacheHoldsNoMoreTokensThanItsSize()
    {
        const int size = 3;
        var tokens = Enumerable.Range(0, 10).Select(n => $"mat_bound_{n}").ToList();
        foreach (var (token, n) in tokens.Select((t, n) => (t, n)))
        {
            _users[token] = $"@user{n}:example.org";
        }
        await using var router = await StartRouterAsync(new FakeTimeProvider(), ("Router:UserKey:CacheSize", size.ToString()));
        var users = router.Services.GetRequiredService<AccessTokenUsers>();
        foreach (var token in tokens)
        {
            users.KeyFor(token, PoolType.Synchrotron, out var lookup);
            await Assert.IsAssignableFrom<Task>(lookup);
        }
        Assert.Equal(tokens.Count, WhoAmICount);

        // Each token is checked once, and a check's own lookup concerns only that token: every hit below was
        // remembered before the checks began, so the hits count the tokens the cache held.
        var remembered = tokens.Where((token, n) => users.KeyFor(token, PoolType.Synchrotron, out _) == KeyHash.Of($"@user{n}:example.org".AsSpan())).ToList();
        Assert.InRange(remembered.Count, 1, size);
    }
    [Fact]
    public async Task RandomTokensFromOneClientCostAFewLookupsNotOneEachAndOtherClientsAreUnaffected()
    {
        // Time stands still: the budget is exactly the burst, with nothing given back.
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-08-01T12:00:00Z"));
        await using var router = await StartRouterAsync(time, ("Router:UserKey:LookupBurstPerClient", "10"));
        var attacker = Enumerable.Range(0, 200).Select(n => $"mat_random_{n}_{Guid.NewGuid():N}").ToList();

        foreach (var token in attacker)
        {
            // Balanced by the token's hash, looked up or not.
            Assert.Equal(InstanceFor(token), await router.ServedByAsync(SyncTarget, Bearer(token)));
        }
        await Eventually.HoldsAsync(() => Task.FromResult(WhoAmICount == 10), "the attacker's budget of lookups to be spent");
        // Refused tokens are remembered (for Router:UserKey:Expiry, 10 minutes): sending them again costs nothing, even
        // with the budget given back.
        time.Advance(TimeSpan.FromMinutes(1));
        var refused = _layout.Instances.SelectMany(i => i.WhoAmITokens).ToList();
        foreach (var token in refused)
        {
            await router.ServedByAsync(SyncTarget, Bearer(token));
        }
        Assert.Equal(10, WhoAmICount);

        // A client with a valid token, from another address, is resolved as ever.
        var token2 = TokensAwayFromTheUser(Alice, 1)[0];
        using var other = RouterUnderTest.CreateClient(System.Net.IPAddress.Parse("127.0.0.2"));
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await router.SendAsync(HttpMethod.Get, SyncTarget, Bearer(token2), other);
            return response.Headers.GetValues("X-Backend-Instance").Single() == InstanceFor(Alice);
        }, "the valid token's user to be resolved");
        Assert.Equal(11, WhoAmICount);
    }
}
