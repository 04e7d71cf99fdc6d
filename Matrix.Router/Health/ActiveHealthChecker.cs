using System.Net.Http;
using Matrix.Router.Configuration;
using Matrix.Router.Routing;
using Matrix.ServiceDefaults;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Matrix.Router.Health;

/// <summary>
/// Probes <c>GET {instance}/health</c> on every instance every <see cref="ActiveHealthOptions.Interval"/>, all at once,
/// each bounded by <see cref="ActiveHealthOptions.Timeout"/>. 2xx is healthy; anything else, or no answer, is not.
/// </summary>
public sealed partial class ActiveHealthChecker(RoutingTable table, RouterOptions options, ILogger<ActiveHealthChecker> logger) : BackgroundService
{
    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = options.Health.Timeout,
        PooledConnectionIdleTimeout = options.Health.Interval.Value * 3,
    });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Health.Interval);
        do
        {
            await Task.WhenAll(table.AllInstances.Select(instance => ProbeAsync(instance, stoppingToken))).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }

    private async Task ProbeAsync(PoolInstance instance, CancellationToken stoppingToken)
    {
        bool success;
        string? problem = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(options.Health.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, instance.DestinationPrefix + options.Health.Path);
            UntracedRequests.Mark(request);
            using var response = await _client.SendAsync(request, timeout.Token).ConfigureAwait(false);
            success = response.IsSuccessStatusCode;
            if (!success)
            {
                problem = $"health probe answered {(int)response.StatusCode}";
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (OperationCanceledException)
        {
            success = false;
            problem = $"health probe timed out after {options.Health.Timeout.Value.TotalSeconds} s";
        }
        catch (HttpRequestException e)
        {
            success = false;
            problem = $"health probe failed: {e.HttpRequestError}";
        }

        if (instance.Health.ReportProbe(success, problem))
        {
            if (success)
            {
                LogBackIn(instance.PoolName, instance.DestinationPrefix);
            }
            else
            {
                LogTakenOut(instance.PoolName, instance.DestinationPrefix, problem ?? "unhealthy");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Pool} instance {Instance} is healthy again")]
    private partial void LogBackIn(string pool, string instance);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Pool} instance {Instance} taken out: {Problem}")]
    private partial void LogTakenOut(string pool, string instance, string problem);
}
