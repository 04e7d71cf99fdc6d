using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Matrix.Router.Configuration;
using Matrix.Tests.Infrastructure;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Router;

/// <summary>
/// The router process under an open-file limit too small for <c>Router:Limits:MaxConnections</c> (run with util-linux's
/// <c>prlimit</c>, as a container runtime's <c>nofile</c> would set it): it says so at start, naming the setting, and
/// accepts only the client connections its descriptors can serve; the rest are closed at once, and nothing fails.
/// </summary>
public class OpenFileLimitTests
{
    private const int OpenFileLimit = 800;

    [Fact]
    public async Task ClientConnectionsBeyondWhatTheFileLimitHoldsAreClosedAndEverythingAcceptedIsServed()
    {
        var prlimit = ExternalProcess.RequireExecutable("prlimit", "apt-get install util-linux");
        var cancel = TestContext.Current.CancellationToken;
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1));
        var main = layout["main"];
        main.HoldRequests = true;
        var port = FreePort.Tcp();
        var environment = new Dictionary<string, string>
        {
            ["Router__Pools__main__0"] = main.Url,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        await using var router = ExternalProcess.Start(prlimit, [$"--nofile={OpenFileLimit}:{OpenFileLimit}", "dotnet", RouterProcess.Dll, "--urls", $"http://127.0.0.1:{port}"],
            AppContext.BaseDirectory, environment);
        await Readiness.WaitForTcpAsync(port, router, TimeSpan.FromSeconds(120));

        long cap;
        using (var status = new HttpClient())
        {
            using var document = JsonDocument.Parse(await status.GetStringAsync($"http://127.0.0.1:{port}/_router/status", cancel));
            cap = document.RootElement.GetProperty("maxClientConnections").GetInt64();
        }
        Assert.InRange(cap, 1, (OpenFileLimit - ConnectionCapacity.Reserve) / 2);
        await Eventually.HoldsAsync(() => Task.FromResult(router.Output.Contains("Router:Limits:MaxConnections is 40000")), "the start-up warning");
        Assert.Contains($"may open only {OpenFileLimit} files", router.Output);
        Assert.Contains($"at most {cap} client connections", router.Output);

        // Fill the cap with long-polls the instance holds, less two: the readiness probe's and the status page's
        // connections may not be counted out yet.
        var held = new List<Socket>();
        var extra = new List<Socket>();
        try
        {
            for (var i = 0; i < cap - 2; i++)
            {
                held.Add(await SendLongPollAsync(port, cancel));
            }
            await Eventually.HoldsAsync(() => Task.FromResult(main.Received.Count >= cap - 2), $"{cap - 2} long-polls to reach the instance");

            for (var i = 0; i < 20; i++)
            {
                extra.Add(await SendLongPollAsync(port, cancel));
            }
            // Each one is either closed by the router or accepted (its request then reaches the instance).
            var ends = extra.Select(socket => ClosedWithoutAnswerAsync(socket, cancel)).ToList();
            await Eventually.HoldsAsync(() => Task.FromResult(ends.Count(e => e.IsCompleted) + main.Received.Count - (cap - 2) >= extra.Count),
                "every connection beyond the cap to be closed or accepted");
            var closed = ends.Count(e => e.IsCompletedSuccessfully && e.Result);
            // At most the two left free were accepted (and are held at the instance); every other one was closed.
            Assert.True(closed >= extra.Count - 2, $"{closed} of {extra.Count} connections beyond the cap were closed without an answer");
            Assert.InRange(main.Received.Count, cap - 2, cap);

            main.HoldRequests = false;
            main.ReleaseHeld();
            foreach (var socket in held)
            {
                Assert.StartsWith("HTTP/1.1 200", await ReadHeadAsync(socket, cancel));
            }
        }
        finally
        {
            foreach (var socket in held.Concat(extra))
            {
                socket.Dispose();
            }
        }

        // Connections closed, the router serves again; it logged no failure of its own at any point.
        await Eventually.HoldsAsync(async () =>
        {
            using var client = new HttpClient();
            try
            {
                using var response = await client.GetAsync($"http://127.0.0.1:{port}/_matrix/client/versions", cancel);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "a request after the long-polls ended");
        Assert.False(router.HasExited);
        Assert.DoesNotContain("fail:", router.Output);
        Assert.DoesNotContain("crit:", router.Output);
        Assert.DoesNotContain("Too many open files", router.Output);
    }

    [Fact]
    public async Task AFileLimitWithNoRoomForAClientStopsItNamingTheSetting()
    {
        var prlimit = ExternalProcess.RequireExecutable("prlimit", "apt-get install util-linux");
        var environment = new Dictionary<string, string> { ["Router__Pools__main__0"] = "http://127.0.0.1:9" };
        // Enough for the runtime to start, not for the reserve on top of what is open at start.
        await using var router = ExternalProcess.Start(prlimit, ["--nofile=300:300", "dotnet", RouterProcess.Dll, "--urls", "http://127.0.0.1:0"],
            AppContext.BaseDirectory, environment);
        Assert.Equal(2, await router.WaitForExitAsync(TimeSpan.FromSeconds(120)));
        Assert.Contains("Router:Limits:MaxConnections: the process may open 300 files", router.Output);
    }

    private static async Task<Socket> SendLongPollAsync(int port, CancellationToken cancel)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", port, cancel);
        try
        {
            await socket.SendAsync("GET /_matrix/client/v3/sync?since=s1&timeout=30000 HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray(), cancel);
        }
        catch (SocketException)
        {
            // Closed by the router before the request went out: the caller sees it as closed.
        }
        return socket;
    }

    /// <summary>True when the router closed the connection before any byte of an answer.</summary>
    private static async Task<bool> ClosedWithoutAnswerAsync(Socket socket, CancellationToken cancel)
    {
        try
        {
            return await socket.ReceiveAsync(new byte[1], cancel) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private static async Task<string> ReadHeadAsync(Socket socket, CancellationToken cancel)
    {
        var buffer = new byte[4096];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(length), cancel);
            if (read == 0)
            {
                break;
            }
            length += read;
            if (Encoding.Latin1.GetString(buffer, 0, length).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                break;
            }
        }
        return Encoding.Latin1.GetString(buffer, 0, length);
    }
}
