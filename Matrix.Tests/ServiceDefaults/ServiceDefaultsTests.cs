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
using Microsoft.Extensions.Logging;

namespace Matrix.Tests.ServiceDefaults;

/// <summary>A real Kestrel app with the service defaults, exporting to a real OTLP/HTTP receiver on loopback.</summary>
public class ServiceDefaultsTests
{
    private static async Task<WebApplication> StartAppAsync(
        Dictionary<string, string?> configuration, Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Tcp()}");
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddServiceDefaults();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/hello", () => "hello");
        map?.Invoke(app);
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
    public async Task TracesMetricsAndLogsReachTheOtlpEndpointButHealthProbesAreNotTraced()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpReceiver.StartAsync(ct);
        var app = await StartAppAsync(new()
        {
            [TelemetryExtensions.OtlpEndpointVariable] = receiver.Url,
            [TelemetryExtensions.OtlpProtocolVariable] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "defaults-test",
        });
        using (var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) })
        {
            Assert.Equal("hello", await client.GetStringAsync("/hello", ct));
            Assert.Equal("Healthy", await client.GetStringAsync("/health", ct));
            Assert.Equal("Healthy", await client.GetStringAsync("/alive", ct));
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("defaults-test").LogWarning("a log line for the collector");
        }
        // Disposing the host disposes the providers, which flushes spans, metrics and logs to the receiver.
        await app.StopAsync(ct);
        await app.DisposeAsync();

        // Server spans are named "METHOD route"; the test's own client spans (same process) are named by method only.
        Assert.True(receiver.Received("traces", "GET /hello"), "the request span was exported");
        Assert.False(receiver.Received("traces", "GET /health"), "readiness probes are filtered out of traces");
        Assert.False(receiver.Received("traces", "GET /alive"), "liveness probes are filtered out of traces");
        Assert.True(receiver.Received("metrics", "http.server.request.duration"), "ASP.NET Core metrics were exported");
        Assert.True(receiver.Received("logs", "a log line for the collector"), "logs were exported");
        Assert.True(receiver.Received("traces", "defaults-test"), "the service name is on the resource");
    }

    [Fact]
    public async Task HttpClientsFromTheFactoryRetryATransientFailure()
    {
        var calls = 0;
        await using var app = await StartAppAsync([], map: endpoints => endpoints.MapGet("/flaky", () =>
            Interlocked.Increment(ref calls) == 1 ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Text("recovered")));
        var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("any");
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal("recovered", await client.GetStringAsync(new Uri(new Uri(app.Urls.First()), "/flaky"), ct));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task NothingRecordsTelemetryWithoutAnExporter()
    {
        await using var app = await StartAppAsync([]);
        Assert.Null(app.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
        Assert.Null(app.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
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
