using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Matrix.ServiceDefaults;

/// <summary>
/// OpenTelemetry as Aspire's ServiceDefaults template wires it: ASP.NET Core, HttpClient and runtime instrumentation,
/// logs with scopes, and the OTLP exporter, when <see cref="OtlpEndpointVariable"/> is set (the dashboard sets it).
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The variable Aspire's dashboard (and any OTLP collector setup) sets.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string OtlpProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary>
    /// Traces, metrics and logs; services add their own activity sources and meters by name. The exporter reads
    /// the standard <c>OTEL_EXPORTER_OTLP_*</c> settings from configuration, checked here first so a typo is named.
    /// </summary>
    public static TBuilder AddMatrixTelemetry<TBuilder>(this TBuilder builder, IEnumerable<string>? extraSources = null, IEnumerable<string>? extraMeters = null)
        where TBuilder : IHostApplicationBuilder
    {
        // Without an exporter the providers would still record every request (activities with their tags, every
        // instrument) for nobody: measured in the router as CPU per request and ~2 KiB per idle long-poll
        // (docs/performance.md). A service's own meters and sources still reach in-process listeners.
        if (!ExportsTelemetry(builder.Configuration))
        {
            return builder;
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter([.. extraMeters ?? []]))
            .WithTracing(tracing => tracing
                .AddSource([builder.Environment.ApplicationName, .. extraSources ?? []])
                // Probes every few seconds would drown the requests worth looking at.
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsHealthProbe(context.Request.Path))
                // The same for probes this service sends (marked by it); the metrics above still count them.
                .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = request => !UntracedRequests.IsMarked(request)));

        builder.Services.AddOpenTelemetry().UseOtlpExporter();
        return builder;
    }

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(ServiceDefaultsExtensions.HealthPath) || path.StartsWithSegments(ServiceDefaultsExtensions.AlivePath);

    /// <summary>
    /// Whether <see cref="AddMatrixTelemetry"/> exports over OTLP (its endpoint is set). A bad endpoint or protocol throws,
    /// naming the setting: the SDK would ignore it and fall back to its default.
    /// </summary>
    public static bool ExportsTelemetry(IConfiguration configuration)
    {
        var endpoint = configuration[OtlpEndpointVariable];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return false;
        }
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            throw new InvalidOperationException($"{OtlpEndpointVariable} is not an absolute URL: '{endpoint}'");
        }
        if (configuration[OtlpProtocolVariable] is { Length: > 0 } protocol && protocol is not ("grpc" or "http/protobuf"))
        {
            throw new InvalidOperationException($"{OtlpProtocolVariable} '{protocol}' is not 'grpc' or 'http/protobuf'");
        }
        return true;
    }
}
