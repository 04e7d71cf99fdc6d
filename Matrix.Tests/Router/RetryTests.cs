using System.Net;
using System.Text;
using System.Text.Json;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Router;

/// <summary>
/// A request that could not connect is sent once to another instance (nothing of it reached the first), and so is a
/// GET or HEAD whose connection broke before any answer; a request whose body was sent is never sent again, whatever
/// happens after. Health probes are slowed down here so that only
/// the request itself discovers the failure.
/// </summary>
public class RetryTests
{
    private static readonly Dictionary<string, string?> SlowProbes = new() { ["Router:Health:Interval"] = "3600" };

    [Fact]
    public async Task AGetThatCannotConnectIsServedByAnotherInstanceAndTheDeadOneIsTakenOut()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("synchrotron", 2));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, SlowProbes);
        var token = await TokenServedByAsync(router, "synchrotron-1");
        await layout["synchrotron-1"].StopAsync();

        using var response = await router.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?since=s1", Bearer(token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("synchrotron-2", response.Headers.GetValues("X-Backend-Instance").Single());
        Assert.False(await router.IsHealthyAsync(layout["synchrotron-1"].Url));
    }

    [Fact]
    public async Task AHeadThatCannotConnectIsRetriedToo()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("federation-reader", 2));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, SlowProbes);
        var uri = "";
        for (var e = 0; uri == ""; e++)
        {
            if (await router.ServedByAsync($"/_matrix/federation/v1/event/$e{e}") == "federation-reader-1")
            {
                uri = $"/_matrix/federation/v1/event/$e{e}";
            }
        }
        await layout["federation-reader-1"].StopAsync();
        using var response = await router.SendAsync(HttpMethod.Head, uri);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("federation-reader-2", response.Headers.GetValues("X-Backend-Instance").Single());
    }

    [Fact]
    public async Task ARequestWithABodyThatCannotConnectIsSentWholeToAnotherInstanceOnce()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("event-creator", 2));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, SlowProbes);
        var room = await RoomServedByAsync(router, "event-creator-1");
        await layout["event-creator-1"].StopAsync();
        var other = layout["event-creator-2"];
        var before = other.Received.Count;

        var body = "{\"msgtype\":\"m.text\",\"body\":\"" + new string('x', 100_000) + "\"}";
        using var response = await router.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{room}/send/m.room.message/once", r =>
            r.Content = new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 1, other.Received.Count);
        Assert.Equal(body, Encoding.UTF8.GetString(other.Received.Last().Body));
    }

    [Fact]
    public async Task ARequestWhoseBodyWasSentIsNeverRepeatedWhenTheInstanceResets()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("event-creator", 2));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, SlowProbes);
        var room = await RoomServedByAsync(router, "event-creator-1");
        var resetting = layout["event-creator-1"];
        resetting.AbortAfterReadingBody = true;
        var counts = layout.Instances.ToDictionary(i => i.Instance, i => i.Received.Count);

        using var response = await router.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{room}/invite", r =>
            r.Content = new StringContent("{\"user_id\":\"@bob:example.org\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("M_UNKNOWN", error.RootElement.GetProperty("errcode").GetString());
        Assert.Equal(counts["event-creator-1"] + 1, resetting.Received.Count);
        Assert.Equal(counts["event-creator-2"], layout["event-creator-2"].Received.Count);
        Assert.Equal(counts["main"], layout["main"].Received.Count);
        // One reset is not enough to take the instance out: one client's request can make Synapse close a
        // connection (PassiveHealthTests covers the threshold).
        Assert.True(await router.IsHealthyAsync(resetting.Url));
    }

    [Fact]
    public async Task AGetWhoseConnectionBreaksBeforeAnyAnswerIsServedByAnotherInstance()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("synchrotron", 2));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, SlowProbes);
        var token = await TokenServedByAsync(router, "synchrotron-1");
        layout["synchrotron-1"].AbortAfterReadingBody = true;
        var counts = layout.Instances.ToDictionary(i => i.Instance, i => i.Received.Count);

        using var response = await router.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?since=s2", Bearer(token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("synchrotron-2", response.Headers.GetValues("X-Backend-Instance").Single());
        // HttpClient itself may resend a body-less request once on a fresh connection when a reused one was closed
        // before any answer; that stays on the same instance. The router then sends it once to another.
        Assert.InRange(layout["synchrotron-1"].Received.Count, counts["synchrotron-1"] + 1, counts["synchrotron-1"] + 2);
        Assert.Equal(counts["synchrotron-2"] + 1, layout["synchrotron-2"].Received.Count);
        Assert.Equal(counts["main"], layout["main"].Received.Count);
    }

    private static Action<HttpRequestMessage> Bearer(string token) => r => r.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");

    private static async Task<string> TokenServedByAsync(RouterUnderTest router, string instance)
    {
        for (var u = 0; ; u++)
        {
            var token = $"mat_retry_{u}";
            if (await router.ServedByAsync("/_matrix/client/v3/sync?since=s1", Bearer(token)) == instance)
            {
                return token;
            }
        }
    }

    private static async Task<string> RoomServedByAsync(RouterUnderTest router, string instance)
    {
        for (var r = 0; ; r++)
        {
            var room = $"!retry{r}:example.org";
            var served = await router.ServedByAsync($"/_matrix/client/v3/rooms/{room}/send/m.room.message/probe{r}",
                m => m.Content = new StringContent("{}", Encoding.UTF8, "application/json"), HttpMethod.Put);
            if (served == instance)
            {
                return room;
            }
        }
    }
}
