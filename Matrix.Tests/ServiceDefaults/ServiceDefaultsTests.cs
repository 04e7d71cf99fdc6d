using System.Collections.Concurrent;
using System.Net;
using Matrix.ServiceDefaults;
using Matrix.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Matrix.Tests.ServiceDefaults;

/// <summary>A real Kestrel app with the service defaults, exporting to a real OTLP/HTTP receiver on loopback.</summary>
public class ServiceDefaultsTests
{
    private static async Task<WebApplication> StartAppAsync(Dictionary<string, string?> configuration, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Tcp()}");
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddServiceDefaults();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/hello", () => "hello");
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    [Fact]
    public async Task HealthAndAliveAnswer()
    {
        await using var app = await StartAppAsync([]);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal("Healthy", await client.GetStringAsync("/health", ct));
        Assert.Equal("Healthy", await client.GetStringAsync("/alive", ct));
    }

    [Fact]
    public async Task ReadinessFailsWhenADependencyIsDownButLivenessDoesNot()
    {
        await using var app = await StartAppAsync([], b => b.Services.AddHealthChecks().AddCheck("database", () => HealthCheckResult.Unhealthy("connection refused to secret-host")));
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var ct = TestContext.Current.CancellationToken;
        var health = await client.GetAsync("/health", ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive", ct)).StatusCode);
    }

    [Fact]
    public async Task TracesReachTheOtlpEndpointWhenTheVariableIsSet()
    {
        var received = new ConcurrentQueue<string>();
        var collectorBuilder = WebApplication.CreateSlimBuilder();
        collectorBuilder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Tcp()}");
        await using var collector = collectorBuilder.Build();
        collector.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            if (body.Length > 0)
            {
                received.Enqueue(signal);
            }
            return Results.Ok();
        });
        var ct = TestContext.Current.CancellationToken;
        await collector.StartAsync(ct);

        var app = await StartAppAsync(new()
        {
            [TelemetryExtensions.OtlpEndpointVariable] = collector.Urls.First(),
            [TelemetryExtensions.OtlpProtocolVariable] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "defaults-test",
        });
        using (var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) })
        {
            Assert.Equal("hello", await client.GetStringAsync("/hello", ct));
        }
        // Stopping the host disposes the providers, which flushes spans and metrics to the collector.
        await app.StopAsync(ct);
        await app.DisposeAsync();

        Assert.Contains("traces", received);
        Assert.Contains("metrics", received);
    }

    [Fact]
    public async Task NothingIsExportedWithoutTheVariable()
    {
        await using var app = await StartAppAsync([]);
        Assert.Empty(app.Services.GetServices<OpenTelemetry.Trace.TracerProvider>());
    }

    [Fact]
    public async Task ABadProtocolIsNamed()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAppAsync(new()
        {
            [TelemetryExtensions.OtlpEndpointVariable] = "http://127.0.0.1:4318",
            [TelemetryExtensions.OtlpProtocolVariable] = "carrier-pigeon",
        }));
        Assert.Contains(TelemetryExtensions.OtlpProtocolVariable, error.Message);
    }
}
