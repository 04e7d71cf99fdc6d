using Matrix.MediaJanitor.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Matrix.MediaJanitor.Hosting;

/// <summary>Service mode: a run, then a pause of <c>Janitor:Schedule:Interval</c>, until the host stops.</summary>
public sealed class ScheduledJanitorService(
    IServiceScopeFactory scopes, JanitorOptions options, LastRunStatus status, ILogger<ScheduledJanitorService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(options.Schedule.InitialDelay.Value, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                // One scope per run: the run's HTTP client goes back to the factory when the run ends.
                await using (var scope = scopes.CreateAsyncScope())
                {
                    var run = scope.ServiceProvider.GetRequiredService<JanitorRun>();
                    var code = await run.ExecuteAsync(dryRun: false, stoppingToken);
                    status.Record(code, run.Problem);
                    logger.NextRun(options.Schedule.Interval.ToString(), code);
                }
                await Task.Delay(options.Schedule.Interval.Value, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
