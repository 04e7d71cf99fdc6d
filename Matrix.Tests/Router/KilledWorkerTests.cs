using System.Collections.Concurrent;
using System.Net;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Router;

/// <summary>
/// A worker killed with <c>kill -9</c> costs idempotent requests nothing: the <c>/sync</c> long-poll it was holding and
/// the GETs arriving meanwhile are answered by the other instance of the pool. (A request with a body in flight on it
/// may still fail: it is never sent twice.)
/// </summary>
public class KilledWorkerTests
{
    [Fact]
    public async Task KillingAWorkerUnderAHeldSyncAndAStreamOfGetsShowsNoClientAnError()
    {
        await using var doomed = await KillableBackend.StartAsync("doomed");
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("synchrotron", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?>
        {
            ["Router:Pools:synchrotron:1"] = doomed.Url,
            // Only the requests themselves discover the death.
            ["Router:Health:Interval"] = "3600",
        });
        var token = "";
        for (var u = 0; token == ""; u++)
        {
            if (await router.ServedByAsync("/_matrix/client/v3/sync?timeout=0", Bearer($"mat_kill_{u}")) == "doomed")
            {
                token = $"mat_kill_{u}";
            }
        }

        var held = router.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?since=s1&timeout=30000&hold=1", Bearer(token));
        await Eventually.HoldsAsync(() => Task.FromResult(doomed.IsHolding), "the doomed worker to hold the /sync");

        var errors = new ConcurrentQueue<string>();
        var done = new ConcurrentDictionary<int, int>();
        using var stop = new CancellationTokenSource();
        var streams = Enumerable.Range(0, 3).Select(s => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                try
                {
                    using var response = await router.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/sync?since=g{n}&timeout=0", Bearer($"mat_stream_{s}_{n % 16}"));
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        errors.Enqueue($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
                catch (HttpRequestException e)
                {
                    errors.Enqueue(e.Message);
                }
                done.AddOrUpdate(s, 1, (_, c) => c + 1);
            }
        })).ToList();
        await Eventually.HoldsAsync(() => Task.FromResult(done.Count == 3 && done.Values.All(c => c >= 10)), "GETs to flow before the kill");

        doomed.Kill();
        var atKill = done.Values.Sum();

        using var sync = await held;
        Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
        // The surviving synchrotron answered the long-poll the dead one had been holding.
        Assert.Equal("synchrotron-1", sync.Headers.GetValues("X-Backend-Instance").Single());
        Assert.Contains(layout["synchrotron-1"].Received, r => r.RawTarget.Contains("hold=1", StringComparison.Ordinal));
        await Eventually.HoldsAsync(() => Task.FromResult(done.Values.Sum() >= atKill + 60), "GETs to keep flowing after the kill");
        await stop.CancelAsync();
        await Task.WhenAll(streams);

        Assert.True(errors.IsEmpty, $"{errors.Count} client errors: {string.Join("; ", errors.Take(3))}");
        Assert.False(await router.IsHealthyAsync(doomed.Url));
    }

    private static Action<HttpRequestMessage> Bearer(string token) => r => r.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
}
