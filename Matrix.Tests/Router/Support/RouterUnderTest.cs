using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Matrix.Router;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Matrix.Tests.Router.Support;

/// <summary>
/// Matrix.Router built by <see cref="RouterHost"/> and listening on a free loopback port (real Kestrel, real sockets),
/// configured with <c>Router:*</c> settings like any deployment. Health probes are fast by default so tests that wait
/// for a state change wait little; nothing asserts on time.
/// </summary>
public sealed class RouterUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RouterUnderTest(WebApplication app, string baseUrl, CapturedLogs logs)
    {
        _app = app;
        BaseUrl = baseUrl;
        Logs = logs;
        Client = CreateClient(IPAddress.Loopback);
    }

    public string BaseUrl { get; }

    public int Port => new Uri(BaseUrl).Port;

    public HttpClient Client { get; }

    /// <summary>Everything the router logged (all categories, trace level and up), as providers received it.</summary>
    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Settings for the pools of <paramref name="instances"/>: <c>Router:Pools:{pool}:{n}</c>.</summary>
    public static Dictionary<string, string?> PoolSettings(IEnumerable<FakeSynapseInstance> instances) =>
        instances.GroupBy(i => i.Pool)
            .SelectMany(g => g.Select((instance, n) => new KeyValuePair<string, string?>($"Router:Pools:{g.Key}:{n}", instance.Url)))
            .ToDictionary();

    public static async Task<RouterUnderTest> StartAsync(
        IEnumerable<FakeSynapseInstance> instances,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var all = PoolSettings(instances);
        all.TryAdd("Router:Health:Interval", "0.2");
        all.TryAdd("Router:Health:Timeout", "5");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var logs = new CapturedLogs();
        var app = RouterHost.Create(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(all);
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new RouterUnderTest(app, address.TrimEnd('/'), logs);
    }

    /// <summary>A client whose connections come from <paramref name="source"/> (any 127.x address works on Linux).</summary>
    public static HttpClient CreateClient(IPAddress source) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        Timeout = TimeSpan.FromMinutes(2),
    };

    /// <summary>A request for <paramref name="target"/> exactly as written (no dot-segment or escape canonicalisation).</summary>
    public HttpRequestMessage Request(HttpMethod method, string target) =>
        new(method, new Uri(BaseUrl + target, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string target, Action<HttpRequestMessage>? configure = null, HttpClient? client = null)
    {
        using var request = Request(method, target);
        configure?.Invoke(request);
        return await (client ?? Client).SendAsync(request);
    }

    /// <summary>The instance that served a GET of <paramref name="target"/>, or throws with the response when none did.</summary>
    public async Task<string> ServedByAsync(string target, Action<HttpRequestMessage>? configure = null, HttpMethod? method = null)
    {
        using var response = await SendAsync(method ?? HttpMethod.Get, target, configure);
        if (!response.Headers.TryGetValues("X-Backend-Instance", out var instance))
        {
            throw new InvalidOperationException($"{target} was not served by an instance: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return instance.Single();
    }

    public async Task<JsonDocument> StatusAsync()
    {
        using var response = await SendAsync(HttpMethod.Get, "/_router/status");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Whether the status page reports <paramref name="instanceUrl"/> as healthy; null when it lists no such instance.</summary>
    public async Task<bool?> IsHealthyAsync(string instanceUrl) =>
        await InstanceStatusAsync(instanceUrl, i => i.GetProperty("healthy").GetBoolean());

    /// <summary>Requests the router has in flight to <paramref name="instanceUrl"/>, per the status page.</summary>
    public async Task<int?> InFlightAsync(string instanceUrl) =>
        await InstanceStatusAsync(instanceUrl, i => i.GetProperty("inFlight").GetInt32());

    private async Task<T?> InstanceStatusAsync<T>(string instanceUrl, Func<JsonElement, T> read) where T : struct
    {
        using var status = await StatusAsync();
        foreach (var pool in status.RootElement.GetProperty("pools").EnumerateArray())
        {
            foreach (var instance in pool.GetProperty("instances").EnumerateArray())
            {
                if (instance.GetProperty("instance").GetString() == instanceUrl)
                {
                    return read(instance);
                }
            }
        }
        return null;
    }

    public async Task WaitForHealthAsync(FakeSynapseInstance instance, bool healthy)
    {
        try
        {
            await Eventually.HoldsAsync(async () => await IsHealthyAsync(instance.Url) == healthy, $"{instance} to be reported {(healthy ? "healthy" : "unhealthy")}");
        }
        catch (TimeoutException e)
        {
            using var status = await StatusAsync();
            throw new TimeoutException($"{e.Message}; status: {status.RootElement}\nlogs:\n{string.Join('\n', Logs.Entries.TakeLast(40))}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
