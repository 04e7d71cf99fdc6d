using System.Diagnostics;
using System.Diagnostics.Metrics;
using Matrix.Router.Routing;
using Matrix.Stack.Catalog;
using Yarp.ReverseProxy.Forwarder;

namespace Matrix.Router.Telemetry;

/// <summary>
/// The router's OpenTelemetry metrics (meter <see cref="MeterName"/>), tagged by pool and instance
/// (<c>matrix.pool</c>, <c>matrix.instance</c> = the instance's base URL). Names are listed in docs/router.md.
/// </summary>
public sealed class RouterMetrics
{
    public const string MeterName = "Matrix.Router";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _unavailable;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _connectionsRefused;
    private readonly Counter<long> _userLookups;
    private readonly Counter<long> _clientAborts;

    public RouterMetrics(IMeterFactory meterFactory, RoutingTable table)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("matrix.router.requests", "{request}", "Requests forwarded, by pool, instance and response status.");
        _duration = meter.CreateHistogram("matrix.router.request.duration", "s", "Time from forwarding a request to the end of its response.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] });
        _failures = meter.CreateCounter<long>("matrix.router.failures", "{failure}", "Forwarding failures, by pool, instance and YARP error.");
        _fallbacks = meter.CreateCounter<long>("matrix.router.fallbacks", "{request}", "Requests served by a fallback pool because their pool had no healthy instance with room.");
        _unavailable = meter.CreateCounter<long>("matrix.router.unavailable", "{request}", "Requests answered 503: no pool could take them.");
        _rejected = meter.CreateCounter<long>("matrix.router.rejected", "{request}", "Requests the router refused itself, by reason.");
        _connectionsRefused = meter.CreateCounter<long>("matrix.router.connections_refused", "{connection}", "Client connections closed at once because the router held as many as it accepts (Router:Limits:MaxConnections, or less under the open-file limit).");
        _clientAborts = meter.CreateCounter<long>("matrix.router.client_aborts", "{request}", "Forwarded requests their client abandoned (went away, or stopped sending its body), by pool: logged at Debug only.");
        _userLookups = meter.CreateCounter<long>("matrix.router.user_key.lookups", "{lookup}", "whoami lookups of the access-token-user balance, by result (resolved, rejected, failed, unavailable; over_budget: not made, the client had no budget left).");
        meter.CreateObservableGauge("matrix.router.instance.healthy", () => Observe(table, i => i.IsHealthy ? 1 : 0), "{instance}", "1 when the instance takes requests.");
        meter.CreateObservableGauge("matrix.router.instance.in_flight", () => Observe(table, i => i.InFlight), "{request}", "Requests in flight to the instance.");
    }

    public void Forwarded(PoolInstance instance, int statusCode, TimeSpan elapsed)
    {
        // Called for every forwarded request: with nobody listening (no OTLP exporter), skip the tags (the boxed status
        // code is an allocation per request).
        if (_requests.Enabled)
        {
            var tags = Tags(instance);
            tags.Add("http.response.status_code", statusCode);
            _requests.Add(1, tags);
        }
        if (_duration.Enabled)
        {
            _duration.Record(elapsed.TotalSeconds, Tags(instance));
        }
    }

    public void Failed(PoolInstance instance, ForwarderError error)
    {
        var tags = Tags(instance);
        tags.Add("error.type", error.ToString());
        _failures.Add(1, tags);
    }

    public void Fallback(PoolType wanted, PoolType used) =>
        _fallbacks.Add(1, new KeyValuePair<string, object?>("matrix.pool", wanted.Name()), new KeyValuePair<string, object?>("matrix.fallback", used.Name()));

    public void Unavailable(PoolType pool) => _unavailable.Add(1, new KeyValuePair<string, object?>("matrix.pool", pool.Name()));

    public void ClientAborted(PoolInstance instance) => _clientAborts.Add(1, new KeyValuePair<string, object?>("matrix.pool", instance.PoolName));

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ConnectionRefused() => _connectionsRefused.Add(1);

    public void UserLookup(string result) => _userLookups.Add(1, new KeyValuePair<string, object?>("result", result));

    private static TagList Tags(PoolInstance instance) => new()
    {
        { "matrix.pool", instance.PoolName },
        { "matrix.instance", instance.DestinationPrefix },
    };

    private static IEnumerable<Measurement<int>> Observe(RoutingTable table, Func<PoolInstance, int> value) =>
        table.AllInstances.Select(i => new Measurement<int>(value(i), Tags(i)));
}
