using System.Collections.Concurrent;
using System.Net;
using Matrix.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Matrix.Tests.MediaJanitor.Infrastructure;

/// <summary>
/// A small real Kestrel server answering Synapse's purge_media_cache admin endpoint the way Synapse documents it:
/// bearer token required, <c>before_ts</c> in ms, <c>{"deleted": n}</c>. No Synapse can run here.
/// </summary>
public sealed class SynapseAdminStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SynapseAdminStandIn(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>before_ts values of the accepted calls.</summary>
    public ConcurrentQueue<long> AcceptedBeforeTs { get; } = new();

    public int Calls;

    public static async Task<SynapseAdminStandIn> StartAsync(string adminToken, int deleted)
    {
        var port = FreePort.Tcp();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var standIn = new SynapseAdminStandIn(app, port);
        app.MapPost("/_synapse/admin/v1/purge_media_cache", (HttpContext context) =>
        {
            Interlocked.Increment(ref standIn.Calls);
            if (context.Request.Headers.Authorization.ToString() != "Bearer " + adminToken)
            {
                return Results.Json(new { errcode = "M_UNKNOWN_TOKEN", error = "Invalid access token passed." }, statusCode: 401);
            }
            if (!long.TryParse(context.Request.Query["before_ts"], out var beforeTs))
            {
                return Results.Json(new { errcode = "M_MISSING_PARAM", error = "Missing integer query parameter 'before_ts'" }, statusCode: 400);
            }
            standIn.AcceptedBeforeTs.Enqueue(beforeTs);
            return Results.Json(new { deleted });
        });
        await app.StartAsync();
        return standIn;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
