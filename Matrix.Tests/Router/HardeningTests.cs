using System.Net;
using System.Net.Sockets;
using System.Text;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Router;

/// <summary>
/// Requests from hostile or careless clients, over real sockets: what Synapse would not read is refused before it
/// reaches an instance, client mistakes get 4xx and count against no instance, one bad request cannot take an
/// instance out, and the instance receives exactly the target the router matched.
/// </summary>
public class HardeningTests
{
    private const string Host = "Host: matrix.example.org\r\n";

    [Fact]
    public async Task HeadersSynapseWouldNotReadGet431AndNeitherReachNorHarmTheInstance()
    {
        await using var main = TwistedLikeBackend.Start("main");
        await using var router = await RouterUnderTest.StartAsync([], new Dictionary<string, string?> { ["Router:Pools:main:0"] = main.Url });

        // One header line over Twisted's 16 KiB line limit; and lines under it whose sum is over its 16 KiB total.
        var longLine = $"GET /_matrix/client/versions HTTP/1.1\r\n{Host}X-Long: {new string('a', 17 * 1024)}\r\n\r\n";
        var manyLines = $"GET /_matrix/client/versions HTTP/1.1\r\n{Host}{string.Concat(Enumerable.Range(0, 5).Select(i => $"X-Part-{i}: {new string('b', 3500)}\r\n"))}\r\n";
        for (var n = 0; n < 5; n++)
        {
            Assert.Equal(431, (await RawHttp.SendAsync(router.Port, RawHttp.Bytes(longLine))).Status);
            Assert.Equal(431, (await RawHttp.SendAsync(router.Port, RawHttp.Bytes(manyLines))).Status);
        }

        Assert.Empty(main.Answered);
        Assert.Equal(0, main.ClosedWithoutAnswer);
        Assert.True(await router.IsHealthyAsync(main.Url));
        using var fine = await router.SendAsync(HttpMethod.Get, "/_matrix/client/versions");
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        Assert.Equal("main", fine.Headers.GetValues("X-Backend-Instance").Single());
    }

    [Fact]
    public async Task TheLargestHeadTheRouterForwardsIsOneTwistedReads()
    {
        await using var main = TwistedLikeBackend.Start("main");
        await using var router = await RouterUnderTest.StartAsync([], new Dictionary<string, string?> { ["Router:Pools:main:0"] = main.Url });
        // Grow one header until the router refuses it: the last size it forwarded must have been answered.
        var lastForwarded = 0;
        for (var size = 14 * 1024; size < 16 * 1024; size += 128)
        {
            var (status, _) = await RawHttp.SendAsync(router.Port, RawHttp.Bytes($"GET /_matrix/client/versions HTTP/1.1\r\n{Host}X-Grow: {new string('c', size)}\r\nConnection: close\r\n\r\n"));
            if (status == 431)
            {
                break;
            }
            Assert.Equal(200, status);
            lastForwarded = size;
        }
        Assert.True(lastForwarded > 0, "no size was forwarded");
        Assert.Equal(0, main.ClosedWithoutAnswer);
    }

    [Fact]
    public async Task OneResetDoesNotTakeAnInstanceOutButSeveralInARowDo()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?>
        {
            ["Router:Health:Interval"] = "3600",
            ["Router:PassiveHealth:ConsecutiveFailures"] = "3",
        });
        var main = layout["main"];
        main.AbortAfterReadingBody = true;

        for (var n = 1; n <= 2; n++)
        {
            using var failed = await router.SendAsync(HttpMethod.Post, "/_matrix/client/v3/createRoom", r => r.Content = new StringContent("{}"));
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
            Assert.True(await router.IsHealthyAsync(main.Url), $"taken out after {n} reset(s)");
        }
        // A success in between starts the count again.
        main.AbortAfterReadingBody = false;
        using (var ok = await router.SendAsync(HttpMethod.Get, "/_matrix/client/versions"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        main.AbortAfterReadingBody = true;
        for (var n = 1; n <= 3; n++)
        {
            using var failed = await router.SendAsync(HttpMethod.Post, "/_matrix/client/v3/createRoom", r => r.Content = new StringContent("{}"));
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
            Assert.Equal(n < 3, await router.IsHealthyAsync(main.Url));
        }
    }

    [Fact]
    public async Task AFailureRateTakesAnInstanceOutEvenWithoutARun()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?>
        {
            ["Router:Health:Interval"] = "3600",
            ["Router:PassiveHealth:ConsecutiveFailures"] = "100",
            ["Router:PassiveHealth:FailureRate"] = "0.5",
            ["Router:PassiveHealth:MinimumRequests"] = "6",
            ["Router:PassiveHealth:Window"] = "3600",
        });
        var main = layout["main"];
        // Alternate: success, failure, ... The failure rate reaches 0.5 at the sixth request.
        for (var n = 1; n <= 6; n++)
        {
            main.AbortAfterReadingBody = n % 2 == 0;
            using var response = await router.SendAsync(HttpMethod.Post, "/_matrix/client/v3/createRoom", r => r.Content = new StringContent("{}"));
            Assert.Equal(n < 6, await router.IsHealthyAsync(main.Url));
        }
    }

    private static readonly string[] BadHosts = [ "a!b", "a..b", ".", "a:99999", "xn--", new string('l', 300) + ".example.org", "a:0", "[::1", "-a.example.org"];

    [Fact]
    public async Task BadHostsGet400AndConnectGets405CountingNothingAndLoggingOneLineAtMost()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("client-reader", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?> { ["Router:Health:Interval"] = "3600" });
        var logLinesBefore = router.Logs.Entries.Count;
        var wrong = new List<string>();
        for (var round = 0; round < 20; round++)
        {
            foreach (var host in BadHosts)
            {
                var (status, head) = await RawHttp.SendAsync(router.Port, RawHttp.Bytes($"GET /_matrix/client/versions HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
                if (status != 400)
                {
                    wrong.Add($"Host {host}: {head.Split("\r\n")[0]}");
                }
            }
            var (connect, connectHead) = await RawHttp.SendAsync(router.Port, RawHttp.Bytes($"CONNECT /_matrix/client/versions HTTP/1.1\r\n{Host}Connection: close\r\n\r\n"));
            if (connect != 405)
            {
                wrong.Add($"CONNECT: {connectHead.Split("\r\n")[0]}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Distinct()) + "\n" + string.Join("\n", router.Logs.Entries.Where(l => l.Contains("Exception", StringComparison.Ordinal)).Take(2)));
        Assert.Empty(layout.Instances.SelectMany(i => i.Received));
        using var routerStatus = await router.StatusAsync();
        foreach (var instance in routerStatus.RootElement.GetProperty("pools").EnumerateArray().SelectMany(p => p.GetProperty("instances").EnumerateArray()))
        {
            Assert.True(instance.GetProperty("healthy").GetBoolean());
            Assert.Equal(0, instance.GetProperty("failures").GetInt32());
        }
        // 200 refused requests: at most one line about them (rate-limited), and nothing else at Warning or above.
        var newLines = router.Logs.Entries.Skip(logLinesBefore).ToList();
        Assert.True(newLines.Count(l => l.Contains("Refused a request before forwarding", StringComparison.Ordinal)) <= 1, string.Join("\n", newLines));
        Assert.DoesNotContain(newLines, l => l.StartsWith("[Warning", StringComparison.Ordinal) || l.StartsWith("[Error", StringComparison.Ordinal) || l.StartsWith("[Critical", StringComparison.Ordinal));
        using var fine = await router.SendAsync(HttpMethod.Get, "/_matrix/client/versions");
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task AnEmptyHostGets400AndNothingIsForwardedWhileNoHostOverHttp10IsServed()
    {
        // Twisted-like: it takes whatever Host lines it gets (Kestrel would refuse two and hide the router's mistake).
        await using var main = TwistedLikeBackend.Start("main");
        await using var router = await RouterUnderTest.StartAsync([], new Dictionary<string, string?> { ["Router:Pools:main:0"] = main.Url });

        var (status, head) = await RawHttp.SendAsync(router.Port, RawHttp.Bytes("GET /_matrix/client/versions HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n"));
        Assert.True(status == 400, head);
        Assert.Empty(main.Heads);

        var (noHost, noHostHead) = await RawHttp.SendAsync(router.Port, RawHttp.Bytes("GET /_matrix/client/versions HTTP/1.0\r\n\r\n"));
        Assert.True(noHost == 200, noHostHead);
        // Exactly one Host line reached the instance.
        Assert.Single(Assert.Single(main.Heads), l => l.StartsWith("Host:", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData('"')]
    [InlineData('<')]
    [InlineData('>')]
    [InlineData('^')]
    [InlineData('`')]
    [InlineData('{')]
    [InlineData('|')]
    [InlineData('}')]
    public async Task ARawCharacterIsRefusedOrForwardedByteForByte(char raw)
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("client-reader", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances);
        var target = $"/_matrix/client/v3/rooms/!r:example.org/context/$a{raw}b?filter=x{raw}y";

        var (status, head) = await RawHttp.SendAsync(router.Port, RawHttp.Bytes($"GET {target} HTTP/1.1\r\n{Host}Connection: close\r\n\r\n"));

        var received = layout.Instances.SelectMany(i => i.Received).ToList();
        if (status == 400)
        {
            Assert.Empty(received);
            return;
        }
        Assert.True(status == 200, head);
        Assert.Equal(target, Assert.Single(received).RawTarget);
    }

    [Fact]
    public async Task ConnectionsBeyondTheLimitAreClosedAndSlowHeadersTimeOut()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?>
        {
            ["Router:Limits:MaxConnections"] = "1",
            ["Router:Limits:RequestHeadersTimeout"] = "1",
        });
        using var counters = new RouterCounterTotals(router, "matrix.router.connections_refused");
        // The first connection sends half a request and stops: it holds the only slot until the headers time out.
        using var slow = new TcpClient();
        await slow.ConnectAsync(IPAddress.Loopback, router.Port, TestContext.Current.CancellationToken);
        var slowStream = slow.GetStream();
        await slowStream.WriteAsync(Encoding.ASCII.GetBytes($"GET /_matrix/client/versions HTTP/1.1\r\n{Host}"), TestContext.Current.CancellationToken);

        var (second, _) = await RawHttp.SendAsync(router.Port, RawHttp.Bytes($"GET /_matrix/client/versions HTTP/1.1\r\n{Host}Connection: close\r\n\r\n"));
        Assert.Equal(0, second);
        Assert.Equal(1, counters["matrix.router.connections_refused"]);
        Assert.Contains(router.Logs.Entries, l => l.Contains("Closed a client connection at once: the router holds 1 client connections", StringComparison.Ordinal)
            && l.Contains("Router:Limits:MaxConnections", StringComparison.Ordinal));

        // Kestrel ends the slow one (408 or a plain close) once its header time is up; the slot is free again.
        var buffer = new byte[1024];
        var read = await slowStream.ReadAsync(buffer, TestContext.Current.CancellationToken);
        Assert.True(read == 0 || Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.1 408", StringComparison.Ordinal));
        slow.Dispose();
        await Eventually.HoldsAsync(async () => (await RawHttp.SendAsync(router.Port, RawHttp.Bytes($"GET /_matrix/client/versions HTTP/1.1\r\n{Host}Connection: close\r\n\r\n"))).Status == 200,
            "a new connection to be served once the slot is free");
    }

    [Fact]
    public async Task TheAdminApiIsLoopbackOnlyByDefaultEvenForPrivateAddressesAndStartUpSaysWhoMayReachIt()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1));
        // The router sits behind a proxy on loopback, as behind an ingress: the client is a private address.
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?> { ["Router:TrustedProxies"] = "127.0.0.0/8" });

        using var viaIngress = await router.SendAsync(HttpMethod.Get, "/_synapse/admin/v1/server_version", r => r.Headers.TryAddWithoutValidation("X-Forwarded-For", "10.1.2.3"));
        Assert.Equal(HttpStatusCode.Forbidden, viaIngress.StatusCode);
        using var statusViaIngress = await router.SendAsync(HttpMethod.Get, "/_router/status", r => r.Headers.TryAddWithoutValidation("X-Forwarded-For", "192.168.7.7"));
        Assert.Equal(HttpStatusCode.Forbidden, statusViaIngress.StatusCode);
        using var local = await router.SendAsync(HttpMethod.Get, "/_synapse/admin/v1/server_version");
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);

        var startup = router.Logs.Entries.Where(l => l.Contains("Admin API", StringComparison.Ordinal)).ToList();
        Assert.Contains("127.0.0.0/8, ::1/128 (Router:AdminAllowList)", Assert.Single(startup));
        Assert.Contains(router.Logs.Entries, l => l.Contains("Pool main: 1 instance(s)", StringComparison.Ordinal));
    }
}
