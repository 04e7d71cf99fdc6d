using System.Net;
using System.Net.Sockets;
using System.Text;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Router;

/// <summary>
/// Uploads their clients abandon or stall half way: nothing worse than Debug in the log (one abandoned upload per log line
/// would let any client fill the log), counted in a metric, and no failure counted against the instance.
/// </summary>
public class ClientAbortTests
{
    [Fact]
    public async Task AbortedUploadsAreCountedNotLoggedAboveDebug()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("media-repository", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?>
        {
            ["Router:Health:Interval"] = "3600",
            ["Router:PassiveHealth:ConsecutiveFailures"] = "2",
        });
        using var counters = new RouterCounterTotals(router, "matrix.router.client_aborts");
        var media = layout["media-repository-1"];
        var before = router.Logs.Entries.Count;

        for (var n = 0; n < 20; n++)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, router.Port, TestContext.Current.CancellationToken);
            var stream = client.GetStream();
            var head = $"POST /_matrix/media/v3/upload?filename=f{n}.bin HTTP/1.1\r\nHost: matrix.example.org\r\nContent-Type: application/octet-stream\r\nContent-Length: {8 * 1024 * 1024}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), TestContext.Current.CancellationToken);
            await stream.WriteAsync(new byte[256 * 1024], TestContext.Current.CancellationToken);
            await stream.FlushAsync(TestContext.Current.CancellationToken);
            // Wait until the router has begun forwarding it, then go away mid-body (a reset, as a killed app's socket).
            await Eventually.HoldsAsync(async () => await router.InFlightAsync(media.Url) > 0, $"upload {n} to be in flight");
            client.Client.LingerState = new LingerOption(true, 0);
            client.Close();
            await Eventually.HoldsAsync(async () => await router.InFlightAsync(media.Url) == 0, $"upload {n} to end");
        }

        var lines = router.Logs.Entries.Skip(before).ToList();
        var loud = lines.Where(l => l.StartsWith("[Warning", StringComparison.Ordinal) || l.StartsWith("[Error", StringComparison.Ordinal) || l.StartsWith("[Critical", StringComparison.Ordinal)
            || (l.StartsWith("[Information", StringComparison.Ordinal) && l.Contains("Exception", StringComparison.Ordinal))).ToList();
        Assert.True(loud.Count == 0, $"{loud.Count} lines above Debug:\n{string.Join("\n", loud.Take(3))}");
        await Eventually.HoldsAsync(() => Task.FromResult(counters["matrix.router.client_aborts"] == 20), "20 client aborts to be counted");
        Assert.True(await router.IsHealthyAsync(media.Url));
    }

    [Fact]
    public async Task LongPollsTheirClientsAbandonAreCountedAsAbortsNeverAgainstTheInstanceNorSentAgain()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("synchrotron", 2));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?>
        {
            ["Router:Health:Interval"] = "3600",
            ["Router:PassiveHealth:ConsecutiveFailures"] = "2",
        });
        using var counters = new RouterCounterTotals(router, "matrix.router.client_aborts", "matrix.router.failures");
        var synchrotrons = new[] { layout["synchrotron-1"], layout["synchrotron-2"] };
        foreach (var synchrotron in synchrotrons)
        {
            synchrotron.HoldRequests = true;
        }

        for (var n = 0; n < 20; n++)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, router.Port, TestContext.Current.CancellationToken);
            var head = $"GET /_matrix/client/v3/sync?since=s{n}&timeout=30000 HTTP/1.1\r\nHost: matrix.example.org\r\nAuthorization: Bearer syt_dXNlcg_{n}_x\r\n\r\n";
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head), TestContext.Current.CancellationToken);
            // The long-poll waits at an instance; then its client goes away (a reset, as a killed app's socket).
            await Eventually.HoldsAsync(() => Task.FromResult(synchrotrons.Sum(s => s.Received.Count) == n + 1), $"long-poll {n} to reach an instance");
            client.Client.LingerState = new LingerOption(true, 0);
            client.Close();
            await Eventually.HoldsAsync(() => Task.FromResult(counters["matrix.router.client_aborts"] == n + 1), $"long-poll {n} to be counted as abandoned");
        }

        Assert.Equal(0, counters["matrix.router.failures"]);
        // A GET whose instance connection broke would go once more elsewhere: an abandoned one must not.
        Assert.Equal(20, synchrotrons.Sum(s => s.Received.Count));
        foreach (var synchrotron in synchrotrons)
        {
            Assert.True(await router.IsHealthyAsync(synchrotron.Url));
        }
    }

    [Fact]
    public async Task AnUploadItsClientStallsEndsWithNoBodyReadLeftPendingAndLogsNothingAboveDebug()
    {
        // The client sends part of its body, then nothing, still connected, until the activity timeout cancels the
        // forwarding and its read of the body. The request must end with that read completed on Kestrel's body reader:
        // a cancelled read left "in progress" makes Kestrel log an Error when it drains the rest of the body ("the body
        // reader is in an invalid state"), one per stalled upload: read through Kestrel's body stream, every upload here
        // logged it. The connection then ends when Kestrel gives up draining (its 5 s drain timeout).
        await using var main = TwistedLikeBackend.Start("main");
        await using var media = TwistedLikeBackend.Start("media-repository-1", maxBodySize: 64 * 1024 * 1024);
        await using var router = await RouterUnderTest.StartAsync([], new Dictionary<string, string?>
        {
            ["Router:Pools:main:0"] = main.Url,
            ["Router:Pools:media-repository:0"] = media.Url,
            ["Router:Limits:MaxUploadSize"] = "64M",
            ["Router:Limits:ActivityTimeout"] = "1",
            ["Router:Health:Interval"] = "3600",
        });
        var before = router.Logs.Entries.Count;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(Eventually.Limit);

        for (var n = 0; n < 3; n++)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, router.Port, limit.Token);
            var stream = client.GetStream();
            var head = $"POST /_matrix/media/v3/upload?filename=p{n}.bin HTTP/1.1\r\nHost: matrix.example.org\r\nContent-Type: application/octet-stream\r\nContent-Length: {8 * 1024 * 1024}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), limit.Token);
            await stream.WriteAsync(new byte[256 * 1024], limit.Token);
            await stream.FlushAsync(limit.Token);

            var answer = await ReadToEndAsync(stream, limit.Token);
            Assert.StartsWith("HTTP/1.1 408 ", answer);
        }

        var lines = router.Logs.Entries.Skip(before).ToList();
        var loud = lines.Where(l => l.StartsWith("[Warning", StringComparison.Ordinal) || l.StartsWith("[Error", StringComparison.Ordinal) || l.StartsWith("[Critical", StringComparison.Ordinal)).ToList();
        Assert.True(loud.Count == 0, $"{loud.Count} lines above Debug:\n{string.Join("\n", loud.Take(3))}");
        Assert.True(await router.IsHealthyAsync(media.Url));
    }

    // Everything the router sends until it ends the connection (after the answer, Kestrel drains or gives up on the rest
    // of the body: either way the connection ends once the request is over, and with it anything it would log).
    private static async Task<string> ReadToEndAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // Reset by the router: the end as well.
        }
        catch (OperationCanceledException e)
        {
            throw new TimeoutException($"the router did not end the connection; received: {Encoding.ASCII.GetString(received.ToArray())}", e);
        }
        return Encoding.ASCII.GetString(received.ToArray());
    }
}
