using Matrix.MediaJanitor.Configuration;
using Matrix.MediaJanitor.Reporting;
using Matrix.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Matrix.MediaJanitor.Hosting;

/// <summary>
/// Builds the host for either mode. <paramref name="configure"/> and <paramref name="extraLogger"/> let tests run the
/// real application in-process with their own settings and capture everything it logs.
/// </summary>
public static class JanitorApplication
{
    public static async Task<int> RunAsync(string[] args, Action<IConfigurationBuilder>? configure = null, ILoggerProvider? extraLogger = null, CancellationToken ct = default)
    {
        var commandLine = CommandLine.Parse(args);
        if (commandLine.Error is not null)
        {
            await Console.Error.WriteLineAsync($"error: {commandLine.Error}\n\n{CommandLine.Usage}");
            return ExitCodes.InvalidConfiguration;
        }
        if (commandLine.Help)
        {
            Console.WriteLine(CommandLine.Usage);
            return ExitCodes.Success;
        }
        // A dry run is always a single run: a service that never changes anything has no purpose.
        return commandLine.Once || commandLine.DryRun
            ? await RunOnceAsync(commandLine, configure, extraLogger, ct)
            : await RunServiceAsync(commandLine, configure, extraLogger, ct);
    }

    private static async Task<int> RunOnceAsync(CommandLine commandLine, Action<IConfigurationBuilder>? configure, ILoggerProvider? extraLogger, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. commandLine.ConfigurationArguments],
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder.Configuration);
        ConfigureLogging(builder.Logging, extraLogger);
        var (options, errors) = JanitorOptionsLoader.Load(builder.Configuration, serviceMode: false);
        if (options is null)
        {
            return ReportConfigurationErrors(builder.Logging, extraLogger, errors);
        }
        builder.AddMatrixTelemetry(extraMeters: [JanitorMetrics.MeterName]);
        builder.Services.AddSingleton(sp => new JanitorMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));

        using var host = builder.Build();
        await host.StartAsync(ct);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Matrix.MediaJanitor");
        using var adminHttp = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        var code = await new JanitorRun(options, host.Services.GetRequiredService<JanitorMetrics>(), logger, TimeProvider.System, adminHttp)
            .ExecuteAsync(commandLine.DryRun, stop.Token);
        await host.StopAsync(CancellationToken.None);
        return code;
    }

    private static async Task<int> RunServiceAsync(CommandLine commandLine, Action<IConfigurationBuilder>? configure, ILoggerProvider? extraLogger, CancellationToken ct)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. commandLine.ConfigurationArguments],
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder.Configuration);
        ConfigureLogging(builder.Logging, extraLogger);
        var (options, errors) = JanitorOptionsLoader.Load(builder.Configuration, serviceMode: true);
        if (options is null)
        {
            return ReportConfigurationErrors(builder.Logging, extraLogger, errors);
        }
        builder.AddMatrixTelemetry(extraMeters: [JanitorMetrics.MeterName]);
        builder.AddDefaultHealthChecks();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(25));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(sp => new JanitorMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.AddSingleton<LastRunStatus>();
        builder.Services.AddSingleton(_ => new HttpClient { Timeout = TimeSpan.FromMinutes(30) });
        builder.Services.AddHostedService<ScheduledJanitorService>();
        builder.Services.AddHealthChecks().AddCheck<LastRunHealthCheck>("last_run");

        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.RunAsync(ct);
        return ExitCodes.Success;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, ILoggerProvider? extraLogger)
    {
        logging.ClearProviders();
        logging.AddConsole(o => o.FormatterName = JanitorConsoleFormatter.Name).AddConsoleFormatter<JanitorConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        // The SDK's and hosting's own chatter is not for operators; warnings and errors still come through.
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("System", LogLevel.Warning);
        if (extraLogger is not null)
        {
            logging.AddProvider(extraLogger);
        }
    }

    private static int ReportConfigurationErrors(ILoggingBuilder logging, ILoggerProvider? extraLogger, IReadOnlyList<string> errors)
    {
        using var factory = LoggerFactory.Create(b => ConfigureLogging(b, extraLogger));
        var logger = factory.CreateLogger("Matrix.MediaJanitor");
        foreach (var error in errors)
        {
            logger.LogError("configuration: {Error}", error);
        }
        logger.LogError("nothing was done: fix the configuration above (see docs/media-janitor.md).");
        return ExitCodes.InvalidConfiguration;
    }
}
