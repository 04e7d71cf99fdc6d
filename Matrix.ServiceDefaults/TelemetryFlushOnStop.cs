using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Matrix.ServiceDefaults;

/// <summary>Flushes and disposes the telemetry providers when the host stops, so the last spans and metrics are not lost.</summary>
internal sealed class TelemetryFlushOnStop(TracerProvider tracerProvider, MeterProvider meterProvider) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        tracerProvider.ForceFlush(5_000);
        meterProvider.ForceFlush(5_000);
        tracerProvider.Dispose();
        meterProvider.Dispose();
        return Task.CompletedTask;
    }
}
