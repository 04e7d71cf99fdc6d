using Matrix.Router.Routing;
using Microsoft.Extensions.Hosting;

namespace Matrix.Router.Status;

/// <summary>Samples each instance's request counter once a second for the status page's requests per second.</summary>
public sealed class RequestRateSampler(RoutingTable table) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            foreach (var instance in table.AllInstances)
            {
                instance.Rate.Sample(instance.Requests);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
