using System.Collections.Concurrent;

namespace Matrix.Router.Transport;

/// <summary>
/// The activity timeout (<c>Router:Limits:ActivityTimeout</c>) of every forwarded request in flight, checked once a
/// second, as Kestrel checks its own timeouts: a request that moved no byte either way for that long has its
/// connection to the instance aborted. Marking progress is a field write, and a waiting request holds no timer or
/// cancellation source of its own: for 20,000 idle <c>/sync</c> long-polls that is about 0.7 KiB each saved
/// (docs/performance.md). The timeout is therefore up to a second late, which no caller can tell from 120 s.
/// </summary>
internal sealed class ActivityTimeouts : IDisposable
{
    private readonly ConcurrentDictionary<BackendConnection, byte> _inFlight = new();
    private readonly Timer _timer;
    private readonly Action _everySecond;

    public ActivityTimeouts(Action everySecond)
    {
        _everySecond = everySecond;
        _timer = new Timer(_ => Check(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public void Track(BackendConnection connection, TimeSpan timeout)
    {
        connection.BeginExchange(timeout);
        _inFlight.TryAdd(connection, 0);
    }

    /// <summary>Stops watching; false if the timeout ended the exchange first (its connection is then aborted).</summary>
    public bool Untrack(BackendConnection connection)
    {
        _inFlight.TryRemove(connection, out _);
        return connection.EndExchange();
    }

    public void Dispose() => _timer.Dispose();

    private void Check()
    {
        var now = Environment.TickCount64;
        foreach (var (connection, _) in _inFlight)
        {
            if (connection.TryTimeOut(now))
            {
                _inFlight.TryRemove(connection, out _);
            }
        }
        _everySecond();
    }
}
