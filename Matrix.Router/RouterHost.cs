using System.Net.Http;
using Matrix.Router.Configuration;
using Matrix.Router.Discovery;
using Matrix.Router.Health;
using Matrix.Router.Routing;
using Matrix.Router.Security;
using Matrix.Router.Status;
using Matrix.Router.Telemetry;
using Matrix.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Matrix.Router;

/// <summary>
/// Puts the router together: configuration (validated before anything starts), services, and the pipeline.
/// <see cref="Program"/> runs it; tests build it with extra configuration and run it on a loopback port.
/// </summary>
public static class RouterHost
{
    /// <summary>Builds the router. Throws <see cref="RouterConfigurationException"/> naming every bad setting.</summary>
    /// <param name="args">Command line: <c>--urls</c>, and any setting as <c>--Router:Pools:main:0=...</c>.</param>
    /// <param name="configure">Runs before the configuration is read (tests add settings and services here).</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = RouterDefaults.Configuration });
        configure?.Invoke(builder);

        var options = RouterOptionsReader.Read(builder.Configuration);

        // OpenTelemetry's providers record every request (three activities with their tags, and the instruments) even
        // when nothing exports them: measured with dotnet-gcdump, about 2 KiB held per idle long-poll (docs/performance.md).
        // Without an exporter, the router's own metrics and activity source still work for any in-process listener.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[TelemetryExtensions.OtlpEndpointVariable]))
        {
            builder.AddMatrixTelemetry([RouterActivity.SourceName], [RouterMetrics.MeterName]);
        }
        builder.AddDefaultHealthChecks();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(25));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            var limits = options.Limits;
            // Per request the router lowers this to the limit of the route (uploads or everything else).
            kestrel.Limits.MaxRequestBodySize = Math.Max(limits.MaxUploadSize, limits.MaxRequestBodySize);
            kestrel.Limits.MaxRequestLineSize = (int)Math.Min(limits.MaxRequestLineSize, int.MaxValue);
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConnections;
            kestrel.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinRequestBodyDataRate, TimeSpan.FromSeconds(5));
        });

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<RoutingTable>();
        services.AddSingleton<RouterMetrics>();
        services.AddSingleton<RejectionLog>();
        services.AddSingleton<ClientAddressResolver>();
        services.AddSingleton<AdminAccessPolicy>();
        services.AddSingleton<RouterStatus>();
        services.AddSingleton<PoolForwarder>();
        services.AddSingleton<HttpMessageInvoker>(_ => new RouterHttpClientFactory(options).Create());
        services.TryAddSingleton<IDestinationResolver, DnsDestinationResolver>();
        services.AddHttpForwarder();
        services.AddHostedService<ActiveHealthChecker>();
        services.AddHostedService<DestinationRefresher>();
        services.AddHostedService<RequestRateSampler>();
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(provider =>
            new RedactingLoggerFactory(ActivatorUtilities.CreateInstance<LoggerFactory>(provider))));

        var app = builder.Build();
        StartupSummary.Log(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Matrix.Router.Startup"), options);
        app.UseMiddleware<ForwardingMiddleware>();
        app.UseRouting();
        app.MapDefaultEndpoints();
        return app;
    }
}
