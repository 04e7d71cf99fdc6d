using System.Net;
using System.Net.Sockets;
using DnsClient;
using Matrix.Router.Configuration;
using Matrix.Router.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Matrix.Router.Discovery;

/// <summary>
/// Expands host-name destinations into one instance per address, at start and every
/// <see cref="DnsOptions.RefreshInterval"/>: a Kubernetes headless service (<c>http://synapse-synchrotron:8083</c>)
/// becomes one instance per ready pod, and pods that come and go are picked up. Instances that stay keep their health
/// and counters, so their keys do not move. Left as they are: IP literals, https destinations (certificates name the
/// host), and names that resolve only to loopback (<c>localhost</c> under Aspire). When resolving fails, the previous
/// instances stay.
/// </summary>
public sealed partial class DestinationRefresher(
    RoutingTable table,
    RouterOptions options,
    IPoolMemberLookup resolver,
    ILogger<DestinationRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Dns.RefreshInterval <= TimeSpan.Zero || !options.Pools.Values.SelectMany(d => d).Any(NeedsResolving))
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Dns.RefreshInterval);
        do
        {
            await RefreshAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        foreach (var pool in table.Pools)
        {
            var current = pool.Instances;
            var next = new List<PoolInstance>();
            foreach (var destination in options.Pools[pool.Type])
            {
                var previous = current.Where(i => ReferenceEquals(i.Source, destination)).ToList();
                if (!NeedsResolving(destination))
                {
                    next.AddRange(previous);
                    continue;
                }
                var prefixes = await PrefixesAsync(destination, cancellationToken).ConfigureAwait(false);
                if (prefixes is null)
                {
                    next.AddRange(previous);
                    continue;
                }
                foreach (var prefix in prefixes)
                {
                    next.Add(previous.FirstOrDefault(i => i.DestinationPrefix == prefix)
                        ?? new PoolInstance(pool.Type, prefix, destination, options.Health, options.PassiveHealth));
                }
            }
            var changed = next.Count != current.Length || next.Any(i => Array.IndexOf(current, i) < 0);
            if (changed)
            {
                pool.Instances = [.. next.OrderBy(i => i.DestinationPrefix, StringComparer.Ordinal)];
                LogChanged(pool.Name, string.Join(", ", pool.Instances.Select(i => i.DestinationPrefix)));
            }
        }
    }

    private static bool NeedsResolving(PoolDestination destination) =>
        destination.BaseUrl.Scheme == Uri.UriSchemeHttp
        && destination.BaseUrl.HostNameType == UriHostNameType.Dns
        && !destination.BaseUrl.IsLoopback;

    // One prefix per address; null when DNS failed.
    private async Task<List<string>?> PrefixesAsync(PoolDestination destination, CancellationToken cancellationToken)
    {
        var url = destination.BaseUrl;
        IPAddress[] addresses;
        try
        {
            addresses = await resolver.ResolveAsync(url.DnsSafeHost, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ArgumentException or TimeoutException or DnsResponseException)
        {
            LogResolveFailed(destination.Setting, url.DnsSafeHost, e.Message);
            return null;
        }
        if (addresses.Length == 0)
        {
            LogResolveFailed(destination.Setting, url.DnsSafeHost, "no addresses");
            return null;
        }
        return [.. addresses
            .Select(a => new UriBuilder(url.Scheme, a.ToString(), url.Port).Uri.GetLeftPart(UriPartial.Authority))
            .Distinct()];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool} instances after DNS refresh: {Instances}")]
    private partial void LogChanged(string pool, string instances);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resolving {Host} ({Setting}) failed: {Problem}; keeping the previous instances")]
    private partial void LogResolveFailed(string setting, string host, string problem);
}
