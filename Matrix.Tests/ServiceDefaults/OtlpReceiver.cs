using System.Collections.Concurrent;
using Matrix.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Matrix.Tests.ServiceDefaults;

/// <summary>A real OTLP/HTTP receiver on loopback: keeps every non-empty export body by signal (traces, metrics, logs).</summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Signal, byte[] Body)> Exports { get; } = new();

    public string Url => _app.Urls.First();

    public static async Task<OtlpReceiver> StartAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Tcp()}");
        var receiver = new OtlpReceiver(builder.Build());
        receiver._app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            if (body.Length > 0)
            {
                receiver.Exports.Enqueue((signal, body.ToArray()));
            }
            return Results.Ok();
        });
        await receiver._app.StartAsync(ct);
        return receiver;
    }

    /// <summary>True when some export of <paramref name="signal"/> holds <paramref name="text"/> (OTLP protobuf keeps strings as UTF-8).</summary>
    public bool Received(string signal, string text)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text);
        return Exports.Any(export => export.Signal == signal && export.Body.AsSpan().IndexOf(needle) >= 0);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
