using System.Text.Json;
using Matrix.Router.Routing;
using Matrix.Tests.Router.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Matrix.Tests.Router.Forwarding;

/// <summary>
/// HTTP/1.1 conformance and smuggling cases for the router's outbound side (issue 22): the in-process router
/// (<see cref="RouterUnderTest"/>: real Kestrel, real sockets) in front of a <see cref="ScriptedBackend"/> that writes
/// exact response bytes and records every byte it receives, with raw client connections where the client's framing
/// matters. Each concrete subclass runs the whole suite against one <c>Router:Transport</c>. Nothing here is timed; every wait is bounded and fails
/// with what was received.
/// </summary>
public abstract class ForwardingConformanceSuite
{
    private const string Host = "Host: matrix.example.org\r\n";
    private const string Versions = "/_matrix/client/versions";
    private const string KeysQuery = "/_matrix/client/v3/keys/query";

    /// <summary>A request the router refuses itself (the admin API, with loopback taken off the allow-list).</summary>
    private const string HiddenAdminRequest = $"GET /_synapse/admin/v1/users HTTP/1.1\r\n{Host}\r\n";

    /// <summary>The <c>Router:Transport</c> under test.</summary>
    protected abstract string Transport { get; }

    private Task<RouterUnderTest> StartRouterAsync(ScriptedBackend backend, string activityTimeout = "30") =>
        StartRouterAsync(backend.Url, activityTimeout);

    /// <summary>The router under test with <paramref name="instanceUrl"/> as its one instance; <paramref name="extra"/> adds settings.</summary>
    private Task<RouterUnderTest> StartRouterAsync(string instanceUrl, string activityTimeout, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Router:Pools:main:0"] = instanceUrl,
            // One probe at start; the probes' own connections are not the forwarder's and are kept out of the counts.
            ["Router:Health:Interval"] = "3600",
            ["Router:Limits:ActivityTimeout"] = activityTimeout,
            // Loopback may not use the admin API here, so a smuggled admin request reaching the backend is unmistakable.
            ["Router:AdminAllowList"] = "192.0.2.1/32",
            ["Router:Transport"] = Transport,
        };
        foreach (var (name, value) in extra ?? [])
        {
            settings[name] = value;
        }
        return RouterUnderTest.StartAsync([], settings);
    }

    private static string Get(string target = Versions, string extra = "") => $"GET {target} HTTP/1.1\r\n{Host}{extra}\r\n";

    private static Task Answer(BackendExchange exchange, string body) =>
        exchange.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n\r\n{body}");

    /// <summary>One request on a fresh client connection, with <c>Connection: close</c>, and its answer.</summary>
    private static async Task<WireResponse> OneRequestAsync(RouterUnderTest router, string request, string method = "GET")
    {
        await using var connection = await RawClientConnection.OpenAsync(router.Port);
        await connection.SendAsync(request);
        return await connection.ReadResponseAsync(method) ?? throw new InvalidOperationException($"the router closed without an answer: {connection.Transcript}");
    }

    /// <summary>The answer a client gets to a GET when the backend answers it with exactly <paramref name="backendResponse"/>.</summary>
    private async Task<WireResponse> AnswerToAsync(string backendResponse)
    {
        await using var backend = ScriptedBackend.Start(e => e.WriteAsync(backendResponse));
        await using var router = await StartRouterAsync(backend);
        return await OneRequestAsync(router, Get(extra: "Connection: close\r\n"));
    }

    private static void AssertMatrixError(WireResponse response, int status)
    {
        Assert.True(response.Head.Status == status, response.ToString());
        Assert.True(response.Body.Complete, response.ToString());
        using var json = JsonDocument.Parse(response.Body.Bytes);
        Assert.StartsWith("M_", json.RootElement.GetProperty("errcode").GetString());
    }

    [Fact]
    public async Task AChunkedResponseWithChunkExtensionsReachesTheClientIntact()
    {
        var response = await AnswerToAsync(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "5;ext=1\r\nhello\r\n1;name=\"quoted;value\"\r\n \r\n5\r\nworld\r\n0\r\n\r\n");

        Assert.True(response.Head.Status == 200 && response.Body.Complete, response.ToString());
        Assert.Equal("hello world", response.Body.Text);
        Assert.False(response.Head.HasAmbiguousFraming, response.Head.ToString());
    }

    /// <summary>
    /// Framing two parsers could read differently (RFC 9112 §6.3): a proxy must neither forward it as is nor let the
    /// rest of the bytes poison the connection. Safe outcomes: the one reading the RFC allows, delivered whole, or an
    /// error; never a prefix presented as the whole body, and the next client still gets its own answer.
    /// </summary>
    [Theory]
    [InlineData("ContentLengthAndChunked", "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("ChunkedThenContentLength", "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("TwoContentLengthsThatDiffer", "Content-Length: 3\r\nContent-Length: 5\r\n\r\nhello")]
    [InlineData("ObfuscatedCodingXchunked", "Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\nhello")]
    public async Task AResponseWithAmbiguousFramingIsNotPassedOnAmbiguously(string name, string framingAndBody)
    {
        await using var backend = ScriptedBackend.Start(e => e.Request.Head.Target.Contains("ambiguous", StringComparison.Ordinal)
            ? e.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" + framingAndBody)
            : Answer(e, "second"));
        await using var router = await StartRouterAsync(backend);

        var response = await OneRequestAsync(router, Get(Versions + "?ambiguous", "Connection: close\r\n"));
        var next = await OneRequestAsync(router, Get(Versions + "?next", "Connection: close\r\n"));

        TestContext.Current.TestOutputHelper?.WriteLine($"{name}: {response}");
        Assert.False(response.Head.HasAmbiguousFraming, response.Head.ToString());
        Assert.True(response.Head.Status >= 500 || (response.Body.Complete && response.Body.Text == "hello"), response.ToString());
        Assert.True(next.Head.Status == 200 && next.Body.Text == "second", next.ToString());
    }

    /// <summary>
    /// Each request hides an admin request in its body for a parser that reads the framing differently. The router
    /// (Kestrel) may refuse it or pick one reading; whatever it does, the backend must never see the hidden request
    /// (the router refuses the admin API to loopback here), nor a request whose framing it could read another way.
    /// </summary>
    [Theory]
    [InlineData("ContentLengthAndChunked")]
    [InlineData("ChunkedThenContentLength")]
    [InlineData("ObfuscatedCodingXchunked")]
    [InlineData("SpaceBeforeColon")]
    [InlineData("ChunkedInAFoldedLine")]
    [InlineData("TwoTransferEncodingHeaders")]
    [InlineData("DuplicateContentLengthsThatDiffer")]
    [InlineData("BareLineFeedBeforeTransferEncoding")]
    public async Task ASmuggledRequestNeverReachesTheBackend(string smuggling)
    {
        var body = "0\r\n\r\n" + HiddenAdminRequest;
        var framing = smuggling switch
        {
            "ContentLengthAndChunked" => $"Content-Length: {body.Length}\r\nTransfer-Encoding: chunked\r\n",
            "ChunkedThenContentLength" => $"Transfer-Encoding: chunked\r\nContent-Length: {body.Length}\r\n",
            "ObfuscatedCodingXchunked" => $"Content-Length: {body.Length}\r\nTransfer-Encoding: xchunked\r\n",
            "SpaceBeforeColon" => $"Content-Length: {body.Length}\r\nTransfer-Encoding : chunked\r\n",
            "ChunkedInAFoldedLine" => $"Content-Length: {body.Length}\r\nX-Padding: a\r\n Transfer-Encoding: chunked\r\n",
            "TwoTransferEncodingHeaders" => $"Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\nContent-Length: {body.Length}\r\n",
            "DuplicateContentLengthsThatDiffer" => $"Content-Length: 5\r\nContent-Length: {body.Length}\r\n",
            "BareLineFeedBeforeTransferEncoding" => $"Content-Length: {body.Length}\r\nX-Padding: a\nTransfer-Encoding: chunked\r\n",
            _ => throw new ArgumentOutOfRangeException(nameof(smuggling)),
        };
        await using var backend = ScriptedBackend.Start(e => Answer(e, "{}"));
        await using var router = await StartRouterAsync(backend);
        await using var connection = await RawClientConnection.OpenAsync(router.Port);

        // A last request that closes the connection, so every reading of the bytes ends in a close.
        await connection.SendAsync($"POST {KeysQuery} HTTP/1.1\r\n{Host}Content-Type: application/json\r\n{framing}\r\n{body}" + Get(extra: "Connection: close\r\n"));
        var answers = await connection.ReadResponsesUntilClosedAsync();

        TestContext.Current.TestOutputHelper?.WriteLine($"{smuggling}: client got {string.Join("; ", answers.Select(a => a.Head.StartLine))}; backend got {string.Join("; ", backend.Requests.Select(r => $"{r.Head.StartLine} ({r.Body.Framing}, {r.Body.Bytes.Length} bytes)"))}");
        Assert.DoesNotContain(backend.Requests, r => r.Head.Target.Contains("admin", StringComparison.OrdinalIgnoreCase));
        Assert.All(backend.Requests, r => Assert.False(r.Head.HasAmbiguousFraming, r.Head.ToString()));
        Assert.All(answers, a => Assert.True(a.Head.Status is >= 200 and < 500, a.ToString()));
    }

    [Fact]
    public async Task SequentialRequestsFromTwoClientsShareOneBackendConnectionAndGetTheirOwnAnswers()
    {
        await using var backend = ScriptedBackend.Start(e => Answer(e, $"answer to {e.Request.Head.Target}"));
        await using var router = await StartRouterAsync(backend);

        var first = await OneRequestAsync(router, Get(Versions + "?client=1", "Connection: close\r\n"));
        var second = await OneRequestAsync(router, Get(Versions + "?client=2", "Connection: close\r\n"));

        Assert.Equal($"answer to {Versions}?client=1", first.Body.Text);
        Assert.Equal($"answer to {Versions}?client=2", second.Body.Text);
        Assert.Equal(1, backend.ForwardingConnections);
        Assert.Equal([0, 1], backend.Requests.Select(r => r.Sequence));
    }

    [Fact]
    public async Task HeaderValuesThatChangeFromOneAnswerToTheNextReachEachClientAsSent()
    {
        // The router keeps the last value of common headers to avoid a string per answer: a different value must win.
        string[] types = ["text/plain", "application/json", "text/plain; charset=utf-8", "application/json"];
        await using var backend = ScriptedBackend.Start(e =>
        {
            var index = int.Parse(e.Request.Head.Target.Split("n=")[1], System.Globalization.CultureInfo.InvariantCulture);
            return e.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: {types[index]}\r\nETag: \"v{index}\"\r\nContent-Length: 2\r\n\r\nok");
        });
        await using var router = await StartRouterAsync(backend);

        for (var i = 0; i < types.Length; i++)
        {
            var answer = await OneRequestAsync(router, Get(Versions + $"?n={i}", "Connection: close\r\n"));
            Assert.Equal([types[i]], answer.Head.Values("Content-Type"));
            Assert.Equal([$"\"v{i}\""], answer.Head.Values("ETag"));
        }
    }

    /// <summary>
    /// The backend answers with keep-alive framing and then closes the connection without saying so, as an instance's
    /// idle timeout or a restart does. The next request, with or without a body, must get its own answer: a transport
    /// either sees the close before sending, or sends a request that has no body once more on a new connection.
    /// </summary>
    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task AConnectionTheBackendClosedSilentlyAfterAnAnswerCostsTheNextRequestNothing(string method)
    {
        await using var backend = ScriptedBackend.Start(async e =>
        {
            await Answer(e, e.Request.Head.Target.Contains("first", StringComparison.Ordinal) ? "first" : "second");
            e.Close();
        });
        await using var router = await StartRouterAsync(backend);

        var first = await OneRequestAsync(router, Get(Versions + "?first", "Connection: close\r\n"));
        var second = method == "GET"
            ? await OneRequestAsync(router, Get(Versions + "?second", "Connection: close\r\n"))
            : await OneRequestAsync(router, $"POST {KeysQuery}?second HTTP/1.1\r\n{Host}Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}", "POST");

        Assert.Equal("first", first.Body.Text);
        Assert.True(second.Head.Status == 200 && second.Body.Text == "second", second.ToString());
        Assert.Equal(2, backend.ForwardingConnections);
        if (method == "POST")
        {
            Assert.Equal("{}", backend.Requests.Last().Body.Text);
        }
    }

    [Fact]
    public async Task BytesBeyondADeclaredLengthNeverBecomeTheNextClientsAnswer()
    {
        // A backend that writes more than it declared (a bug, or a response-splitting injection): what follows the
        // declared body looks like a complete response, and must not be taken as the answer to the next request.
        await using var backend = ScriptedBackend.Start(e => e.Request.Head.Target.Contains("first", StringComparison.Ordinal)
            ? e.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirstHTTP/1.1 200 OK\r\nContent-Length: 8\r\nX-Injected: yes\r\n\r\ninjected")
            : Answer(e, "second"));
        await using var router = await StartRouterAsync(backend);

        var first = await OneRequestAsync(router, Get(Versions + "?first", "Connection: close\r\n"));
        var second = await OneRequestAsync(router, Get(Versions + "?second", "Connection: close\r\n"));

        Assert.Equal("first", first.Body.Text);
        Assert.True(second.Head.Status == 200 && second.Body.Text == "second", second.ToString());
        Assert.False(second.Head.Has("X-Injected"), second.Head.ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ABackendConnectionCloseDeliversTheWholeBodyAndTheNextRequestOpensANewConnection(bool withContentLength)
    {
        // Without a length the body ends where the backend closes the connection (RFC 9112 §6.3, read to EOF).
        var payload = string.Concat(Enumerable.Range(0, 20_000).Select(n => $"{n:x4}|"))[..(80 * 1024)];
        await using var backend = ScriptedBackend.Start(async e =>
        {
            await e.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n{(withContentLength ? $"Content-Length: {payload.Length}\r\n" : "")}\r\n{payload}");
            e.Close();
        });
        await using var router = await StartRouterAsync(backend);

        var first = await OneRequestAsync(router, Get(extra: "Connection: close\r\n"));
        var second = await OneRequestAsync(router, Get(extra: "Connection: close\r\n"));

        Assert.True(first.Head.Status == 200 && first.Body.Complete && first.Body.Text == payload, first.Head + $" {first.Body.Bytes.Length} bytes, {first.Body.Framing}");
        Assert.True(second.Head.Status == 200 && second.Body.Complete && second.Body.Text == payload, second.Head + $" {second.Body.Bytes.Length} bytes");
        Assert.Equal(2, backend.ForwardingConnections);
    }

    [Fact]
    public async Task ExpectContinueGetsA100ThenTheBodyReachesTheBackendAndTheFinalAnswerTheClient()
    {
        await using var backend = ScriptedBackend.Start(e => Answer(e, $"got {e.Request.Body.Text}"));
        await using var router = await StartRouterAsync(backend);
        await using var connection = await RawClientConnection.OpenAsync(router.Port);

        await connection.SendAsync($"POST {KeysQuery} HTTP/1.1\r\n{Host}Content-Type: application/json\r\nContent-Length: 7\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
        // As curl does: the body only after the interim answer (bounded wait, no timing).
        var interim = await connection.ReadHeadAsync();
        Assert.True(interim?.Status == 100, interim?.ToString() ?? "closed without an answer");
        await connection.SendAsync("{\"a\":1}");
        var response = await connection.ReadResponseAsync("POST");

        Assert.NotNull(response);
        Assert.True(response.Head.Status == 200, response.ToString());
        Assert.Equal("got {\"a\":1}", response.Body.Text);
        var received = Assert.Single(backend.Requests);
        Assert.Equal("{\"a\":1}", received.Body.Text);
        TestContext.Current.TestOutputHelper?.WriteLine($"backend got {received.Head}");
    }

    [Fact]
    public async Task AnEarlyHints103BeforeTheFinalAnswerLeavesTheAnswerAndTheConnectionIntact()
    {
        await using var backend = ScriptedBackend.Start(e => e.Request.Head.Target.Contains("hints", StringComparison.Ordinal)
            ? e.WriteAsync("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
            : Answer(e, "second"));
        await using var router = await StartRouterAsync(backend);
        await using var connection = await RawClientConnection.OpenAsync(router.Port);

        await connection.SendAsync(Get(Versions + "?hints"));
        var first = await connection.ReadResponseAsync();
        await connection.SendAsync(Get(Versions + "?after", "Connection: close\r\n"));
        var second = await connection.ReadResponseAsync();

        Assert.NotNull(first);
        Assert.True(first.Head.Status == 200 && first.Body.Text == "hello", first.ToString());
        Assert.All(first.Interim, h => Assert.Equal(103, h.Status));
        Assert.True(second?.Head.Status == 200 && second.Body.Text == "second", second?.ToString());
        TestContext.Current.TestOutputHelper?.WriteLine($"interim heads the client saw: {first.Interim.Count}");
    }

    /// <summary>
    /// A 204 with a non-zero Content-Length (which RFC 9110 §8.6 forbids the backend to send) found a defect: the
    /// router copied the length, Kestrel then failed the answer as "too few bytes written" and the client got a 500
    /// (fixed in <c>ForwardedRequest.TransformResponseAsync</c>).
    /// </summary>
    [Theory]
    [InlineData("HEAD", 200, 1000)]
    [InlineData("GET", 204, 1000)]
    [InlineData("GET", 204, 0)]
    [InlineData("GET", 304, 1000)]
    public async Task ABodilessAnswerWithAContentLengthIsNotWaitedForNorBleedsIntoTheNextAnswer(string method, int status, int contentLength)
    {
        await using var backend = ScriptedBackend.Start(e => e.Request.Head.Target.Contains("bodiless", StringComparison.Ordinal)
            ? e.WriteAsync($"HTTP/1.1 {status} Whatever\r\nContent-Type: text/plain\r\nContent-Length: {contentLength}\r\n\r\n")
            : Answer(e, "second"));
        await using var router = await StartRouterAsync(backend);
        await using var connection = await RawClientConnection.OpenAsync(router.Port);

        await connection.SendAsync($"{method} {Versions}?bodiless HTTP/1.1\r\n{Host}\r\n");
        var first = await connection.ReadResponseAsync(method);
        await connection.SendAsync(Get(Versions + "?after", "Connection: close\r\n"));
        var second = await connection.ReadResponseAsync();

        Assert.True(first?.Head.Status == status, $"{first?.ToString() ?? connection.Transcript}\n{string.Join('\n', router.Logs.Entries.Where(l => l.Contains("Exception", StringComparison.Ordinal)))}");
        Assert.True(second?.Head.Status == 200 && second.Body.Text == "second", second?.ToString() ?? connection.Transcript);
        Assert.DoesNotContain(router.Logs.Entries, l => l.Contains("Exception", StringComparison.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine($"backend connections used: {backend.ForwardingConnections}");
        Assert.Equal([$"{method} {Versions}?bodiless", $"GET {Versions}?after"], backend.Requests.Select(r => r.Head.StartLine[..r.Head.StartLine.LastIndexOf(' ')]));
    }

    [Fact]
    public async Task TrailersOfAChunkedAnswerLeaveTheBodyIntact()
    {
        var response = await AnswerToAsync(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n" +
            "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc123\r\n\r\n");

        Assert.True(response.Head.Status == 200 && response.Body.Complete, response.ToString());
        Assert.Equal("hello world", response.Body.Text);
        // A trailer is never promoted into the head (where it could override a header the backend did not send there).
        Assert.False(response.Head.Has("X-Checksum"), response.Head.ToString());
        TestContext.Current.TestOutputHelper?.WriteLine($"framing {response.Body.Framing}, trailers forwarded: [{string.Join(", ", response.Body.Trailers)}]");
        Assert.All(response.Body.Trailers, t => Assert.Equal("X-Checksum: abc123", t));
    }

    [Fact]
    public async Task ABackendThatNeverAnswersGetsTheRoutersTimeoutError()
    {
        await using var backend = ScriptedBackend.Start(e => e.NeverAnswerAsync());
        // Long enough that the request surely reached the backend first even on a loaded machine: a timeout that fires
        // while the connection is still being made is a connect failure, which may rightly go elsewhere (here: 503).
        await using var router = await StartRouterAsync(backend, activityTimeout: "10");

        var response = await OneRequestAsync(router, Get(extra: "Connection: close\r\n"));

        AssertMatrixError(response, 504);
        Assert.Single(backend.Requests);
    }

    [Fact]
    public async Task AnInstanceThatTakesNoConnectionIsAConnectFailureOnceTheConnectTimeoutIsUp()
    {
        using var instance = await UnacceptingListener.StartAsync();
        // Had the connect been taken for made, the request would wait for the activity timeout: 504, not 503.
        await using var router = await StartRouterAsync(instance.Url, activityTimeout: "300", new Dictionary<string, string?>
        {
            // The one probe at start waits as long as the test does: only the request can take the instance out.
            ["Router:Health:Timeout"] = "600",
            ["Router:Limits:ConnectTimeout"] = "1",
        });

        var response = await OneRequestAsync(router, Get(extra: "Connection: close\r\n"));

        // A connect failure takes the instance out at once and the request goes elsewhere; there is nowhere else.
        AssertMatrixError(response, 503);
        var health = router.Services.GetRequiredService<RoutingTable>().AllInstances.Single().Health;
        Assert.False(health.IsHealthy);
        TestContext.Current.TestOutputHelper?.WriteLine($"last problem: {health.LastProblem}");
        Assert.StartsWith("RequestTimedOut", health.LastProblem);
    }

    [Fact]
    public async Task AClientThatGoesAwayWhileItsAnswerIsAwaitedClosesTheBackendConnection()
    {
        var closedByRouter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = ScriptedBackend.Start(async e => closedByRouter.TrySetResult(await e.ClosedByRouterAsync()));
        // The activity timeout ends such a wait too, but only after 300 s: a close before then is the client's going.
        await using var router = await StartRouterAsync(backend, activityTimeout: "300");
        var client = await RawClientConnection.OpenAsync(router.Port);
        await client.SendAsync(Get("/_matrix/client/v3/sync?since=s1&timeout=30000"));
        await Eventually.HoldsAsync(() => Task.FromResult(!backend.Requests.IsEmpty), "the long-poll to reach the backend");

        await client.DisposeAsync();

        Assert.True(await closedByRouter.Task.WaitAsync(Eventually.Limit, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AResetMidBodyIsNeverPresentedAsACompleteAnswer()
    {
        await using var backend = ScriptedBackend.Start(async e =>
        {
            await e.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n" + new string('x', 10_000));
            e.Reset();
        });
        await using var router = await StartRouterAsync(backend);

        WireResponse? response;
        await using (var connection = await RawClientConnection.OpenAsync(router.Port))
        {
            await connection.SendAsync(Get(extra: "Connection: close\r\n"));
            try
            {
                response = await connection.ReadResponseAsync();
            }
            catch (IOException)
            {
                response = null; // reset before a whole head arrived: the client sees an abort
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(response?.Head + $" {response?.Body.Bytes.Length} bytes, {response?.Body.Framing}, complete: {response?.Body.Complete}");
        // Safe: an abort (no answer, or a body cut short of its framing), or an error status; never a whole 200.
        Assert.False(response is { Head.Status: 200, Body.Complete: true }, response?.ToString());
    }

    [Fact]
    public async Task AnOversizedResponseHeadGetsABadGatewayError()
    {
        var response = await AnswerToAsync($"HTTP/1.1 200 OK\r\nX-Big: {new string('a', 100 * 1024)}\r\nContent-Length: 2\r\n\r\n{{}}");

        AssertMatrixError(response, 502);
        Assert.False(response.Head.Has("X-Big"));
    }

    [Fact]
    public async Task AChunkedRequestBodyWithExtensionsAndATrailerReachesTheBackendIntact()
    {
        await using var backend = ScriptedBackend.Start(e => Answer(e, "{}"));
        await using var router = await StartRouterAsync(backend);

        var response = await OneRequestAsync(router,
            $"POST {KeysQuery} HTTP/1.1\r\n{Host}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
            "4;ext=a\r\n{\"a\"\r\n1\r\n:\r\n3;x=\"y\"\r\n12}\r\n0\r\nX-Trailer: t\r\n\r\n", "POST");

        Assert.True(response.Head.Status == 200, response.ToString());
        var received = Assert.Single(backend.Requests);
        Assert.Equal("{\"a\":12}", received.Body.Text);
        Assert.True(received.Body.Complete, received.Body.Framing);
        Assert.False(received.Head.HasAmbiguousFraming, received.Head.ToString());
        TestContext.Current.TestOutputHelper?.WriteLine($"backend got {received.Head} framed {received.Body.Framing}, trailers [{string.Join(", ", received.Body.Trailers)}]");
    }
}
