using Microsoft.Extensions.Configuration;
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

    public const string OtlpProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    public const string OtlpHeadersVariable = "OTEL_EXPORTER_OTLP_HEADERS";

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
    /// Adds traces, metrics and logs exported over OTLP when <see cref="OtlpEndpointVariable"/> is set (in the
    /// environment or any configuration source). Services add their own sources and meters by name.
    /// </summary>
    public static TBuilder AddMatrixTelemetry<TBuilder>(this TBuilder builder, IEnumerable<string>? extraSources = null, IEnumerable<string>? extraMeters = null)
        where TBuilder : IHostApplicationBuilder
    {
        var exporter = OtlpSettings.From(builder.Configuration);
        if (exporter is null)
        {
            return builder;
        }

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName);

        var tracerProvider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource([.. BuiltInActivitySources, .. extraSources ?? []])
            .AddOtlpExporter(o => exporter.Apply(o, "v1/traces"))
            .Build();
        var meterProvider = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter([.. BuiltInMeters, .. extraMeters ?? []])
            .AddOtlpExporter(o => exporter.Apply(o, "v1/metrics"))
            .Build();

        // Built now so their listeners see the first request; flushed and disposed when the host stops
        // (the container never disposes instances it did not create).
        builder.Services.AddSingleton(tracerProvider);
        builder.Services.AddSingleton(meterProvider);
        builder.Services.AddHostedService(_ => new TelemetryFlushOnStop(tracerProvider, meterProvider));

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.SetResourceBuilder(resource);
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            logging.AddOtlpExporter(o => exporter.Apply(o, "v1/logs"));
        });
        return builder;
    }

    /// <summary>The OTLP exporter settings, read from configuration so they work outside process environment too.</summary>
    private sealed record OtlpSettings(Uri Endpoint, OtlpExportProtocol Protocol, string? Headers)
    {
        public static OtlpSettings? From(IConfiguration configuration)
        {
            var endpoint = configuration[OtlpEndpointVariable];
            if (string.IsNullOrWhiteSpace(endpoint))
            {
                return null;
            }
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
            {
                throw new InvalidOperationException($"{OtlpEndpointVariable} is not an absolute URL: '{endpoint}'");
            }
            var protocol = configuration[OtlpProtocolVariable] switch
            {
                null or "" or "grpc" => OtlpExportProtocol.Grpc,
                "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
                var other => throw new InvalidOperationException($"{OtlpProtocolVariable} '{other}' is not 'grpc' or 'http/protobuf'"),
            };
            return new OtlpSettings(uri, protocol, configuration[OtlpHeadersVariable]);
        }

        public void Apply(OtlpExporterOptions options, string signalPath)
        {
            options.Protocol = Protocol;
            // Set in code, the HTTP exporter uses the endpoint as given: append the signal path as the spec's
            // environment-variable form would.
            options.Endpoint = Protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri(Endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath)
                : Endpoint;
            if (!string.IsNullOrEmpty(Headers))
            {
                options.Headers = Headers;
            }
        }
    }
}
