using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Matrix.Router.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Matrix.Tests.Router.Support;

/// <summary>
/// The running totals of some of one router's counters (<see cref="RouterMetrics"/>), as an in-process listener sees
/// them: only this router's meter (its meter factory), so routers of tests running at the same time do not add up.
/// </summary>
public sealed class RouterCounterTotals : IDisposable
{
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<string, long> _totals = new();

    public RouterCounterTotals(RouterUnderTest router, params string[] counters)
    {
        var factory = router.Services.GetRequiredService<IMeterFactory>();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == RouterMetrics.MeterName && instrument.Meter.Scope == factory && counters.Contains(instrument.Name))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        _listener.Start();
    }

    /// <summary>What <paramref name="counter"/> has counted since this was made.</summary>
    public long this[string counter] => _totals.GetValueOrDefault(counter);

    public void Dispose() => _listener.Dispose();
}
