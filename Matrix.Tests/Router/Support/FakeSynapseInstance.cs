using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Matrix.Tests.Router.Support;

/// <summary>
/// A real Kestrel server on loopback standing in for one Synapse process: it answers every request with its pool and
/// instance (headers <c>X-Backend-Pool</c>/<c>X-Backend-Instance</c>) and records what it received. It can be made
/// unhealthy, hold requests, abort after reading a body, stream slowly, or stop listening and start again.
/// </summary>
public sealed class FakeSynapseInstance : IAsyncDisposable
{
    private readonly IPAddress _address;
    private WebApplication? _app;
    private TaskCompletionSource _release = NewGate();
    private TaskCompletionSource _streamGate = NewGate();
    private bool _holdRequests;

    private FakeSynapseInstance(string pool, string instance, IPAddress address, int port)
    {
        Pool = pool;
        Instance = instance;
        _address = address;
        Port = port;
    }

    public string Pool { get; }

    /// <summary>The instance name, as in Matrix.Stack's layout (<c>synchrotron-2</c>, <c>main</c>).</summary>
    public string Instance { get; }

    public int Port { get; private set; }

    public string Url => $"http://{(_address.Equals(IPAddress.Loopback) ? "127.0.0.1" : _address.ToString())}:{Port}";

    /// <summary>What <c>GET /health</c> says; the router's active checks read it.</summary>
    public bool Healthy { get; set; } = true;

    /// <summary>Hold every request until <see cref="ReleaseHeld"/> (initial-sync caps).</summary>
    public bool HoldRequests
    {
        get => Volatile.Read(ref _holdRequests);
        set => Volatile.Write(ref _holdRequests, value);
    }

    /// <summary>Read the whole request body, then reset the connection without answering.</summary>
    public bool AbortAfterReadingBody { get; set; }

    /// <summary>For downloads: send a first chunk, then wait for <see cref="ReleaseStream"/> before the rest.</summary>
    public bool StreamInTwoParts { get; set; }

    /// <summary>
    /// Access token → user ID, as Synapse's <c>GET /_matrix/client/v3/account/whoami</c> answers it (401
    /// <c>M_UNKNOWN_TOKEN</c> for a token not in it). Null: whoami is an ordinary request like any other. Several
    /// instances share one map, as the processes of one homeserver share one database.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Users { get; set; }

    /// <summary>With <see cref="Users"/>: answer every whoami with this status instead (a failing or overloaded instance).</summary>
    public int? WhoAmIStatus { get; set; }

    /// <summary>The bearer tokens of the whoami requests answered from <see cref="Users"/> (kept apart from <see cref="Received"/>).</summary>
    public ConcurrentQueue<string> WhoAmITokens { get; } = new();

    /// <summary>Requests received (health probes excluded), in arrival order.</summary>
    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public SemaphoreSlim Arrivals { get; } = new(0);

    public static async Task<FakeSynapseInstance> StartAsync(string pool, string instance, IPAddress? address = null, int port = 0)
    {
        var backend = new FakeSynapseInstance(pool, instance, address ?? IPAddress.Loopback, port);
        await backend.StartListeningAsync();
        return backend;
    }

    public void ReleaseHeld()
    {
        HoldRequests = false;
        Interlocked.Exchange(ref _release, NewGate()).TrySetResult();
    }

    public void ReleaseStream() => Interlocked.Exchange(ref _streamGate, NewGate()).TrySetResult();

    /// <summary>Stops listening: connections are refused until <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            ReleaseHeld();
            ReleaseStream();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Listens again on the same address and port.</summary>
    public Task RestartAsync() => StartListeningAsync();

    public async ValueTask DisposeAsync() => await StopAsync();

    public override string ToString() => $"{Instance} ({Url})";

    private async Task StartListeningAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(_address, Port);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        Port = new Uri(app.Urls.First()).Port;
        _app = app;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        if (context.Request.Path == "/health")
        {
            context.Response.StatusCode = Healthy ? 200 : 503;
            await context.Response.WriteAsync(Healthy ? "OK" : "unhealthy");
            return;
        }

        if (Users is { } users && context.Request.Path == "/_matrix/client/v3/account/whoami")
        {
            await AnswerWhoAmIAsync(context, users);
            return;
        }

        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var request = new ReceivedRequest(
            context.Request.Method,
            rawTarget,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.ToArray(),
            context.Connection.RemoteIpAddress);
        Received.Enqueue(request);
        Arrivals.Release();

        if (AbortAfterReadingBody)
        {
            context.Abort();
            return;
        }
        // Take the gate before looking at the flag: a release in between then completes the gate taken here.
        var release = Volatile.Read(ref _release);
        if (HoldRequests)
        {
            await release.Task.WaitAsync(context.RequestAborted);
        }

        context.Response.Headers["X-Backend-Pool"] = Pool;
        context.Response.Headers["X-Backend-Instance"] = Instance;
        if (StreamInTwoParts)
        {
            // Taken before the first part goes out: the test releases it as soon as it has read that part.
            var streamGate = Volatile.Read(ref _streamGate);
            context.Response.ContentType = "application/octet-stream";
            await context.Response.WriteAsync("first part;");
            await context.Response.Body.FlushAsync();
            await streamGate.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("second part");
            return;
        }
        var answer = System.Text.Encoding.UTF8.GetBytes($"{{\"pool\":\"{Pool}\",\"instance\":\"{Instance}\",\"bodyLength\":{request.Body.Length}}}");
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = answer.Length;
        await context.Response.Body.WriteAsync(answer);
    }

    private async Task AnswerWhoAmIAsync(HttpContext context, IReadOnlyDictionary<string, string> users)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization[7..] : "";
        WhoAmITokens.Enqueue(token);
        context.Response.ContentType = "application/json";
        if (WhoAmIStatus is { } status)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync("{\"errcode\":\"M_UNKNOWN\",\"error\":\"whoami failed\"}");
        }
        else if (users.TryGetValue(token, out var userId))
        {
            await context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["user_id"] = userId, ["is_guest"] = false }));
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync("{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\"}");
        }
    }

    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>One request as the fake Synapse process received it.</summary>
public sealed record ReceivedRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, byte[] Body, IPAddress? Peer)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
