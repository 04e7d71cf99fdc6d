using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Matrix.ServiceDefaults;

/// <summary>
/// OpenTelemetry wiring without the hosting/instrumentation packages: .NET emits the ASP.NET Core and
/// HttpClient activities and meters natively, so listening to their names is all that is needed.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The variable Aspire's dashboard (and any OTLP collector setup) sets.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Activity sources .NET itself emits.</summary>
    public static readonly IReadOnlyList<string> BuiltInActivitySources =
        ["Microsoft.AspNetCore", "System.Net.Http"];

    /// <summary>Meters .NET itself emits.</summary>
    public static readonly IReadOnlyList<string> BuiltInMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "System.Net.Http",
        "System.Net.NameResolution",
        "System.Runtime",
    ];

    /// <summary>
    /// Adds traces, metrics and logs exported over OTLP when <see cref="OtlpEndpointVariable"/> is set.
    /// Services add their own sources and meters through <paramref name="extraSources"/> and <paramref name="extraMeters"/>.
    /// </summary>
    public static TBuilder AddMatrixTelemetry<TBuilder>(this TBuilder builder, IEnumerable<string>? extraSources = null, IEnumerable<string>? extraMeters = null)
        where TBuilder : IHostApplicationBuilder
    {
        var endpoint = builder.Configuration[OtlpEndpointVariable];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return builder;
        }

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName);

        var tracerBuilder = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource([.. BuiltInActivitySources, .. extraSources ?? []])
            .AddOtlpExporter();
        var meterBuilder = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter([.. BuiltInMeters, .. extraMeters ?? []])
            .AddOtlpExporter();

        // The providers are singletons so the host disposes (and so flushes) them on shutdown.
        builder.Services.AddSingleton(tracerBuilder.Build());
        builder.Services.AddSingleton(meterBuilder.Build());

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.SetResourceBuilder(resource);
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            logging.AddOtlpExporter();
        });
        return builder;
    }
}
