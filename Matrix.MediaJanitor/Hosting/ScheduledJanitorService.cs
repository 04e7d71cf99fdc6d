using Matrix.MediaJanitor.Configuration;
using Matrix.MediaJanitor.Reporting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Matrix.MediaJanitor.Hosting;

/// <summary>Service mode: a run, then a pause of <c>Janitor:Schedule:Interval</c>, until the host stops.</summary>
public sealed class ScheduledJanitorService(
    JanitorOptions options, JanitorMetrics metrics, LastRunStatus status, ILogger<ScheduledJanitorService> logger, HttpClient adminHttp)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(options.Schedule.InitialDelay.Value, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                var code = await new JanitorRun(options, metrics, logger, TimeProvider.System, adminHttp).ExecuteAsync(dryRun: false, stoppingToken);
                status.Record(code);
                logger.LogInformation("next run in {Interval} (exit status of this run: {Code})", options.Schedule.Interval, code);
                await Task.Delay(options.Schedule.Interval.Value, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
