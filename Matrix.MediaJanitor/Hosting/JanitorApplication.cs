using Matrix.MediaJanitor.Configuration;
using Matrix.MediaJanitor.Reporting;
using Matrix.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Matrix.MediaJanitor.Hosting;

/// <summary>
/// Builds the host for either mode from one composition (<see cref="Compose"/>): the same configuration, logging,
/// telemetry and services; service mode adds the schedule and the health endpoints. Options are validated when the
/// host starts, and an unusable configuration ends the process with <see cref="ExitCodes.InvalidConfiguration"/>.
/// <c>configure</c> and <c>extraLogger</c> let tests run the real application in-process with their own settings and
/// capture everything it logs.
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
        try
        {
            // A dry run is always a single run: a service that never changes anything has no purpose.
            return commandLine.Once || commandLine.DryRun
                ? await RunOnceAsync(commandLine, configure, extraLogger, ct)
                : await RunServiceAsync(commandLine, configure, extraLogger, ct);
        }
        catch (OptionsValidationException ex) when (ex.OptionsType == typeof(JanitorOptions))
        {
            return ReportConfigurationErrors(extraLogger, ex.Failures);
        }
    }

    private static async Task<int> RunOnceAsync(CommandLine commandLine, Action<IConfigurationBuilder>? configure, ILoggerProvider? extraLogger, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. commandLine.ConfigurationArguments],
            ContentRootPath = AppContext.BaseDirectory,
        });
        Compose(builder, configure, extraLogger, serviceMode: false);

        using var host = builder.Build();
        ValidateBeforeStart(host.Services);
        await host.StartAsync(ct);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        var code = await host.Services.GetRequiredService<JanitorRun>().ExecuteAsync(commandLine.DryRun, stop.Token);
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
        Compose(builder, configure, extraLogger, serviceMode: true);
        builder.AddDefaultHealthChecks();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(25));
        builder.Services.AddSingleton<LastRunStatus>();
        builder.Services.AddHostedService<ScheduledJanitorService>();
        builder.Services.AddHealthChecks().AddCheck<LastRunHealthCheck>("last_run");

        await using var app = builder.Build();
        ValidateBeforeStart(app.Services);
        // /health names what the last run could not reach; the janitor has no public endpoint.
        app.MapDefaultEndpoints(describeUnhealthy: true);
        await app.RunAsync(ct);
        return ExitCodes.Success;
    }

    /// <summary>What both modes share: test settings, logging, telemetry and the janitor's services.</summary>
    private static void Compose(IHostApplicationBuilder builder, Action<IConfigurationBuilder>? configure, ILoggerProvider? extraLogger, bool serviceMode)
    {
        configure?.Invoke(builder.Configuration);
        ConfigureLogging(builder.Logging, extraLogger);
        builder.AddMatrixTelemetry(extraMeters: [JanitorMetrics.MeterName]);
        builder.Services.AddMediaJanitor(serviceMode);
    }

    /// <summary>
    /// The options are registered with <c>ValidateOnStart</c>; resolving them here, just before the start, reports an
    /// unusable configuration once in the janitor's words instead of after the host's own "Hosting failed to start".
    /// </summary>
    private static void ValidateBeforeStart(IServiceProvider services) => _ = services.GetRequiredService<JanitorOptions>();

    private static void ConfigureLogging(ILoggingBuilder logging, ILoggerProvider? extraLogger)
    {
        logging.ClearProviders();
        logging.AddConsole(o => o.FormatterName = JanitorConsoleFormatter.Name).AddConsoleFormatter<JanitorConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        // The SDK's and hosting's own chatter is not for operators; warnings and errors still come through.
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("System", LogLevel.Warning);
        // Database failures are reported by the run itself, naming the database; Npgsql's own events would repeat them.
        logging.AddFilter("Npgsql", LogLevel.None);
        if (extraLogger is not null)
        {
            logging.AddProvider(extraLogger);
        }
    }

    private static int ReportConfigurationErrors(ILoggerProvider? extraLogger, IEnumerable<string> errors)
    {
        using var factory = LoggerFactory.Create(b => ConfigureLogging(b, extraLogger));
        var logger = factory.CreateLogger("Matrix.MediaJanitor");
        foreach (var error in errors)
        {
            logger.ConfigurationProblem(error);
        }
        logger.NothingDone();
        return ExitCodes.InvalidConfiguration;
    }
}
