using System.Net.Http;
using Matrix.Router.Balancing;
using Matrix.Router.Configuration;
using Matrix.Router.Discovery;
using Matrix.Router.Health;
using Matrix.Router.Routing;
using Matrix.Router.Security;
using Matrix.Router.Status;
using Matrix.Router.Telemetry;
using Matrix.Router.Transport;
using Yarp.ReverseProxy.Forwarder;
using Matrix.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
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
    /// <summary>
    /// Builds the router. Its options are checked when it starts: an unusable configuration stops it with an
    /// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> naming every bad setting.
    /// </summary>
    /// <param name="args">Command line: <c>--urls</c>, and any setting as <c>--Router:Pools:main:0=...</c>.</param>
    /// <param name="configure">Runs after the router's defaults are in place (tests add settings and services here).</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = RouterDefaults.Configuration });
        configure?.Invoke(builder);

        builder.AddMatrixTelemetry([RouterActivity.SourceName], [RouterMetrics.MeterName]);
        builder.AddDefaultHealthChecks();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(25));
        builder.Services.AddOptions<KestrelServerOptions>().Configure<RouterOptions, ClientConnectionLimit>((kestrel, options, connectionLimit) =>
        {
            kestrel.AddServerHeader = false;
            var limits = options.Limits;
            // Per request the router lowers this to the limit of the pool the request goes to.
            kestrel.Limits.MaxRequestBodySize = Math.Max(limits.MediaRequestBodySize(), limits.MaxRequestBodySize);
            kestrel.Limits.MaxRequestLineSize = (int)Math.Min(limits.MaxRequestLineSize, int.MaxValue);
            // Instead of Limits.MaxConcurrentConnections, which costs more memory per connection (ClientConnectionLimit).
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(connectionLimit.Before));
            kestrel.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinRequestBodyDataRate, TimeSpan.FromSeconds(5));
        });

        // Kestrel runs the router's request handling on the socket's I/O thread instead of handing every read and
        // every write over to another thread (Router:InlineScheduling). With .NET's inline socket completions (Program)
        // a request then goes from the client's bytes to the instance and back without a thread switch: about a third
        // less CPU per request and a shorter tail (docs/performance.md). It needs code that never blocks, which the
        // router's is: every wait is asynchronous.
        builder.Services.AddOptions<SocketTransportOptions>().Configure<RouterOptions>((transport, options) =>
            transport.UnsafePreferInlineScheduling = options.InlineScheduling);
        var services = builder.Services;
        services.AddRouterOptions();
        services.AddSingleton(provider => ConnectionCapacity.Of(provider.GetRequiredService<RouterOptions>().Limits.MaxConnections));
        services.AddSingleton<ClientConnectionLimit>();
        services.AddSingleton<RoutingTable>();
        services.AddSingleton<RouterMetrics>();
        services.AddSingleton<RejectionLog>();
        services.AddSingleton<ClientAddressResolver>();
        services.AddSingleton<AdminAccessPolicy>();
        services.AddSingleton<RouterStatus>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AccessTokenUsers>();
        services.AddSingleton<PoolForwarder>();
        services.AddSingleton<HttpMessageInvoker>(provider => new RouterHttpClientFactory(provider.GetRequiredService<RouterOptions>()).Create());
        services.TryAddSingleton<IPoolMemberLookup>(provider =>
            provider.GetRequiredService<RouterOptions>().Dns.NameServerEndpoint is { } nameServer
                ? new NameServerPoolMemberLookup(nameServer)
                : new DnsPoolMemberLookup());
        services.AddHttpForwarder();
        // YARP's forwarder stays registered for https:// instances and for Router:Transport=SocketsHttpHandler.
        var yarpForwarder = services.Last(d => d.ServiceType == typeof(IHttpForwarder));
        services.Replace(ServiceDescriptor.Singleton<IHttpForwarder>(provider =>
        {
            var yarp = (IHttpForwarder)ActivatorUtilities.CreateInstance(provider, yarpForwarder.ImplementationType!);
            return provider.GetRequiredService<RouterOptions>().Transport == ForwardingTransport.Http1
                ? ActivatorUtilities.CreateInstance<Http1Forwarder>(provider, yarp)
                : yarp;
        }));
        services.AddHostedService<ActiveHealthChecker>();
        services.AddHostedService<DestinationRefresher>();
        services.AddHostedService<RequestRateSampler>();
        var logScopes = RedactingLoggerFactory.AreWanted(builder.Configuration);
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(provider =>
            new RedactingLoggerFactory(ActivatorUtilities.CreateInstance<LoggerFactory>(provider), logScopes)));

        var app = builder.Build();
        MatrixErrorResponse.Prepare();
        app.Lifetime.ApplicationStarted.Register(() => StartupSummary.Log(
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Matrix.Router.Startup"), app.Services.GetRequiredService<RouterOptions>(),
            app.Services.GetRequiredService<ConnectionCapacity>()));
        app.UseMiddleware<ForwardingMiddleware>();
        app.UseRouting();
        app.MapDefaultEndpoints();
        return app;
    }
}
