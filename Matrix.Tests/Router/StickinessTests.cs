using System.Net;
using System.Security.Cryptography;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Router;

/// <summary>
/// Each sticky pool keeps a key on one instance, end to end over HTTP: sync by access token (opaque ones too, from
/// the header or the query), event creation and pagination by room ID, inbound federation by X-Matrix origin (client
/// address when absent), federation reads by URI. Least-busy spreads concurrent requests.
/// </summary>
public sealed class StickinessTests : IAsyncLifetime
{
    private FakeSynapseLayout _layout = null!;
    private RouterUnderTest _router = null!;

    public async ValueTask InitializeAsync()
    {
        _layout = await FakeSynapseLayout.StartAsync(
            ("main", 1), ("synchrotron", 4), ("event-creator", 3), ("client-reader", 3), ("federation-inbound", 3), ("federation-reader", 3));
        _router = await RouterUnderTest.StartAsync(_layout.Instances);
    }

    public async ValueTask DisposeAsync()
    {
        await _router.DisposeAsync();
        await _layout.DisposeAsync();
    }

    public static TheoryData<string> Tokens => new()
    {
        "syt_YWxpY2U_HtrNjkXqRuKNgMRQwvTz_1cG7Yq",
        "mat_8b2A4x1WkQm3ZpT7rS9vYc0dEfGhJkLn",
        "opaque-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)),
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJAYWxpY2U6ZXhhbXBsZS5vcmcifQ.c2lnbmF0dXJl",
        "base64/with+slash=",
    };

    [Theory]
    [MemberData(nameof(Tokens))]
    public async Task SyncsOfOneAccessTokenStayOnOneSynchrotronWhetherTheTokenIsInTheHeaderOrTheQuery(string token)
    {
        var served = new HashSet<string>();
        for (var since = 0; since < 4; since++)
        {
            served.Add(await _router.ServedByAsync($"/_matrix/client/v3/sync?since=s{since}&timeout=0", r => r.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}")));
            served.Add(await _router.ServedByAsync($"/_matrix/client/v3/sync?since=s{since}&access_token={Uri.EscapeDataString(token)}"));
        }
        var instance = Assert.Single(served);
        Assert.StartsWith("synchrotron-", instance);
    }

    [Fact]
    public async Task DifferentAccessTokensSpreadOverTheSynchrotrons()
    {
        var served = new HashSet<string>();
        for (var user = 0; user < 40; user++)
        {
            served.Add(await _router.ServedByAsync("/_matrix/client/v3/sync?since=s1", r => r.Headers.TryAddWithoutValidation("Authorization", $"Bearer mat_user{user}_{user * 7919}")));
        }
        Assert.True(served.Count >= 3, $"40 tokens landed on only {string.Join(", ", served)}");
        Assert.All(served, s => Assert.StartsWith("synchrotron-", s));
    }

    [Fact]
    public async Task EventsOfOneRoomStayOnOneEventCreatorHowEverTheRoomIdIsEncoded()
    {
        var served = new HashSet<string>();
        for (var txn = 0; txn < 4; txn++)
        {
            served.Add(await _router.ServedByAsync($"/_matrix/client/v3/rooms/!room42:example.org/send/m.room.message/t{txn}", Json, HttpMethod.Put));
            served.Add(await _router.ServedByAsync($"/_matrix/client/v3/rooms/%21room42%3Aexample.org/send/m.room.message/u{txn}", Json, HttpMethod.Put));
            served.Add(await _router.ServedByAsync($"/_matrix/client/v3/rooms/!room42:example.org/state/m.room.topic/", Json, HttpMethod.Put));
        }
        Assert.StartsWith("event-creator-", Assert.Single(served));

        var rooms = new HashSet<string>();
        for (var room = 0; room < 30; room++)
        {
            rooms.Add(await _router.ServedByAsync($"/_matrix/client/v3/rooms/!r{room}:example.org/send/m.room.message/t", Json, HttpMethod.Put));
        }
        Assert.True(rooms.Count >= 2, $"30 rooms landed on only {string.Join(", ", rooms)}");
    }

    [Fact]
    public async Task PaginationOfOneRoomStaysOnOneClientReader()
    {
        var served = new HashSet<string>();
        for (var page = 0; page < 6; page++)
        {
            served.Add(await _router.ServedByAsync($"/_matrix/client/v3/rooms/!paged:example.org/messages?dir=b&from=t{page}"));
        }
        Assert.StartsWith("client-reader-", Assert.Single(served));

        var rooms = new HashSet<string>();
        for (var room = 0; room < 30; room++)
        {
            rooms.Add(await _router.ServedByAsync($"/_matrix/client/v3/rooms/!p{room}:example.org/messages?dir=b"));
        }
        Assert.True(rooms.Count >= 2, $"30 rooms landed on only {string.Join(", ", rooms)}");
    }

    [Fact]
    public async Task TransactionsOfOneRemoteServerStayOnOneFederationInboundWorker()
    {
        var origins = new HashSet<string>();
        for (var server = 0; server < 30; server++)
        {
            var served = new HashSet<string>();
            for (var txn = 0; txn < 3; txn++)
            {
                served.Add(await _router.ServedByAsync($"/_matrix/federation/v1/send/{server}-{txn}", r =>
                {
                    Json(r);
                    r.Headers.TryAddWithoutValidation("Authorization", $"X-Matrix origin=\"remote{server}.example\",destination=\"example.org\",key=\"ed25519:a{txn}\",sig=\"s{txn}\"");
                }, HttpMethod.Put));
            }
            origins.Add(Assert.Single(served));
        }
        Assert.True(origins.Count >= 2, $"30 origins landed on only {string.Join(", ", origins)}");
        Assert.All(origins, o => Assert.StartsWith("federation-inbound-", o));
    }

    [Fact]
    public async Task WithoutXMatrixFederationTransactionsStickToTheClientAddress()
    {
        var perAddress = new HashSet<string>();
        for (var host = 10; host < 40; host++)
        {
            using var client = RouterUnderTest.CreateClient(IPAddress.Parse($"127.0.0.{host}"));
            var served = new HashSet<string>();
            for (var txn = 0; txn < 3; txn++)
            {
                using var request = _router.Request(HttpMethod.Put, $"/_matrix/federation/v1/send/{host}-{txn}");
                Json(request);
                using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
                served.Add(response.Headers.GetValues("X-Backend-Instance").Single());
            }
            perAddress.Add(Assert.Single(served));
        }
        Assert.True(perAddress.Count >= 2, $"30 client addresses landed on only {string.Join(", ", perAddress)}");
    }

    [Fact]
    public async Task FederationReadsOfOneUriStayOnOneFederationReader()
    {
        var uris = new HashSet<string>();
        for (var e = 0; e < 30; e++)
        {
            var served = new HashSet<string>();
            for (var repeat = 0; repeat < 3; repeat++)
            {
                served.Add(await _router.ServedByAsync($"/_matrix/federation/v1/event/$event{e}"));
            }
            uris.Add(Assert.Single(served));
        }
        Assert.True(uris.Count >= 2, $"30 URIs landed on only {string.Join(", ", uris)}");
    }

    [Fact]
    public async Task EveryRouterReplicaSendsAKeyToTheSameInstanceWhateverTheConfigurationOrder()
    {
        // A second router with the pools listed in reverse order, as another replica might be configured.
        var reversed = _layout.Instances.Reverse();
        await using var replica = await RouterUnderTest.StartAsync(reversed);
        for (var user = 0; user < 20; user++)
        {
            void Token(HttpRequestMessage r) => r.Headers.TryAddWithoutValidation("Authorization", $"Bearer replica-user-{user}");
            Assert.Equal(
                await _router.ServedByAsync("/_matrix/client/v3/sync?since=1", Token),
                await replica.ServedByAsync("/_matrix/client/v3/sync?since=1", Token));
        }
    }

    [Fact]
    public async Task LeastBusySendsTheNextRequestToAnIdleInstance()
    {
        var readers = _layout.Pool("client-reader");
        foreach (var reader in readers)
        {
            reader.HoldRequests = true;
        }
        var pending = new List<Task<HttpResponseMessage>>();
        try
        {
            for (var n = 0; n < readers.Count; n++)
            {
                pending.Add(_router.SendAsync(HttpMethod.Get, "/_matrix/client/v3/joined_rooms"));
                // Wait until this request is held by some instance before sending the next.
                await Eventually.HoldsAsync(() => Task.FromResult(readers.Sum(r => r.Received.Count) == n + 1), "the request to arrive");
            }
            Assert.All(readers, r => Assert.Single(r.Received));
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader.ReleaseHeld();
            }
            foreach (var response in await Task.WhenAll(pending))
            {
                response.Dispose();
            }
        }
    }

    private static void Json(HttpRequestMessage request) =>
        request.Content = new StringContent("{\"body\":\"hi\"}", System.Text.Encoding.UTF8, "application/json");
}
