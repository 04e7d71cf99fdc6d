using System.Net;
using System.Text.Json;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Router;

/// <summary>
/// Instances that fail lose their keys to the rest of the pool and get them back when they recover; a pool with no
/// healthy instance falls back as the catalog allows (main for most, nowhere for media); with nowhere left the
/// router answers 503 with a Matrix error and Retry-After.
/// </summary>
public class FailoverTests
{
    private static readonly string[] Users = [.. Enumerable.Range(0, 40).Select(u => $"syt_dXNlcg_{u}_failover")];

    [Fact]
    public async Task AStoppedInstanceLosesOnlyItsUsersAndGetsThemBackWhenItListensAgain()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("synchrotron", 3));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances);
        var before = await WhereUsersSyncAsync(router);
        var victim = layout[before.GroupBy(s => s).OrderByDescending(g => g.Count()).First().Key];

        await victim.StopAsync();
        // Every request succeeds even the first after the stop: a refused connect is retried on another instance.
        var during = await WhereUsersSyncAsync(router);
        Assert.False(await router.IsHealthyAsync(victim.Url));
        for (var u = 0; u < Users.Length; u++)
        {
            Assert.True(before[u] == victim.Instance ? during[u] != victim.Instance : during[u] == before[u],
                $"user {u}: {before[u]} -> {during[u]}");
        }

        await victim.RestartAsync();
        await router.WaitForHealthAsync(victim, healthy: true);
        Assert.Equal(before, await WhereUsersSyncAsync(router));
    }

    [Fact]
    public async Task AnInstanceFailingItsHealthCheckIsTakenOutAndComesBack()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("synchrotron", 2));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances);
        var before = await WhereUsersSyncAsync(router);
        var sick = layout["synchrotron-1"];
        Assert.Contains(sick.Instance, before);

        sick.Healthy = false;
        await router.WaitForHealthAsync(sick, healthy: false);
        Assert.All(await WhereUsersSyncAsync(router), s => Assert.Equal("synchrotron-2", s));

        sick.Healthy = true;
        await router.WaitForHealthAsync(sick, healthy: true);
        Assert.Equal(before, await WhereUsersSyncAsync(router));
    }

    [Fact]
    public async Task SyncsFallBackToMainWhenNoSynchrotronIsHealthy()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("synchrotron", 2));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances);
        foreach (var synchrotron in layout.Pool("synchrotron"))
        {
            synchrotron.Healthy = false;
            await router.WaitForHealthAsync(synchrotron, healthy: false);
        }
        Assert.All(await WhereUsersSyncAsync(router), s => Assert.Equal("main", s));
    }

    [Fact]
    public async Task MediaNeverFallsBackToMainAndA503SaysWhenToRetry()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("media-repository", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?> { ["Router:RetryAfter"] = "7" });
        var media = layout["media-repository-1"];
        media.Healthy = false;
        await router.WaitForHealthAsync(media, healthy: false);

        using var response = await router.SendAsync(HttpMethod.Get, "/_matrix/client/v1/media/download/example.org/abc");
        await AssertUnavailableAsync(response, retryAfterSeconds: 7);
        Assert.Empty(layout["main"].Received);
        Assert.Empty(media.Received);
    }

    [Fact]
    public async Task WithMainDownTooARequestHasNowhereToGoAndGets503()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("synchrotron", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances);
        foreach (var instance in layout.Instances)
        {
            instance.Healthy = false;
            await router.WaitForHealthAsync(instance, healthy: false);
        }
        using var sync = await router.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?since=s1");
        await AssertUnavailableAsync(sync, retryAfterSeconds: 5);
        using var logout = await router.SendAsync(HttpMethod.Post, "/_matrix/client/v3/logout");
        await AssertUnavailableAsync(logout, retryAfterSeconds: 5);
        Assert.All(layout.Instances, i => Assert.Empty(i.Received));
    }

    [Fact]
    public async Task InitialSyncsBeyondTheCapGoToTheSynchrotronThenToMain()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("synchrotron", 1), ("initial-synchrotron", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?> { ["Router:Limits:InitialSyncConcurrency"] = "2" });
        var initial = layout["initial-synchrotron-1"];
        initial.HoldRequests = true;
        var held = new List<Task<HttpResponseMessage>>();
        try
        {
            for (var n = 1; n <= 2; n++)
            {
                held.Add(router.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync"));
                await Eventually.HoldsAsync(() => Task.FromResult(initial.Received.Count == n), "the initial sync to be held");
            }
            // The initial-synchrotron is full: the third initial sync goes to the synchrotron.
            Assert.Equal("synchrotron-1", await router.ServedByAsync("/_matrix/client/v3/sync?full_state=true"));

            layout["synchrotron-1"].Healthy = false;
            await router.WaitForHealthAsync(layout["synchrotron-1"], healthy: false);
            Assert.Equal("main", await router.ServedByAsync("/_matrix/client/v3/sync"));
        }
        finally
        {
            initial.ReleaseHeld();
            foreach (var response in await Task.WhenAll(held))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                response.Dispose();
            }
        }
        // With room again, initial syncs return to it. (A client can have its whole answer a moment before the router
        // counts the request as finished.)
        await Eventually.HoldsAsync(async () => await router.InFlightAsync(initial.Url) == 0, "the held initial syncs to finish");
        Assert.Equal("initial-synchrotron-1", await router.ServedByAsync("/_matrix/client/v3/sync"));
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response, int retryAfterSeconds)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(retryAfterSeconds), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("M_UNKNOWN", body.RootElement.GetProperty("errcode").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("error").GetString()));
    }

    private static async Task<List<string>> WhereUsersSyncAsync(RouterUnderTest router)
    {
        var served = new List<string>();
        foreach (var user in Users)
        {
            served.Add(await router.ServedByAsync("/_matrix/client/v3/sync?since=s5", r => r.Headers.TryAddWithoutValidation("Authorization", $"Bearer {user}")));
        }
        return served;
    }
}
