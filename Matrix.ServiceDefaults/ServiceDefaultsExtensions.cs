using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Matrix.ServiceDefaults;

/// <summary>
/// The Aspire service-defaults convention: telemetry to OTLP, health endpoints, service discovery and resilient
/// HttpClients, graceful shutdown; the same for every service of the stack under Aspire, Kubernetes or on its own.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Readiness: every registered health check must pass.</summary>
    public const string HealthPath = "/health";

    /// <summary>Liveness: only checks tagged <see cref="LiveTag"/> run, so a slow dependency does not restart the process.</summary>
    public const string AlivePath = "/alive";

    public const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddMatrixTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        // Kubernetes sends SIGTERM and waits 30 s by default: finish in-flight work inside that budget.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(25));
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>Maps <c>/health</c> (ready) and <c>/alive</c> (live).</summary>
    /// <param name="describeUnhealthy">
    /// <c>/health</c> adds the failing checks' descriptions after the status; only for a service whose health endpoint
    /// is not public and whose checks write nothing secret in them (the media janitor: hosts, ports, bucket, error).
    /// </param>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, bool describeUnhealthy = false)
    {
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = describeUnhealthy ? WriteStatusAndProblems : WritePlainStatus });
        app.MapHealthChecks(AlivePath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = WritePlainStatus,
        });
        return app;
    }

    private static Task WriteStatusAndProblems(HttpContext context, HealthReport report)
    {
        var problems = report.Entries.Values.Where(e => e.Status != HealthStatus.Healthy && !string.IsNullOrEmpty(e.Description)).Select(e => e.Description);
        return WriteText(context, string.Join(Environment.NewLine, problems.Prepend(report.Status.ToString())));
    }

    // Plain status text: health endpoints must not leak check descriptions or exception messages.
    private static Task WritePlainStatus(HttpContext context, HealthReport report) => WriteText(context, report.Status.ToString());

    private static Task WriteText(HttpContext context, string text)
    {
        context.Response.ContentType = "text/plain";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(text);
    }
}
