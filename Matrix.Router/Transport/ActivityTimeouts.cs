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
    // The exchanges in flight, linked through the connections themselves: a dictionary would allocate a node for each.
    private readonly Lock _lock = new();
    private BackendConnection? _first;
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
        lock (_lock)
        {
            connection.NextInFlight = _first;
            connection.PreviousInFlight = null;
            if (_first is not null)
            {
                _first.PreviousInFlight = connection;
            }
            _first = connection;
            connection.IsTracked = true;
        }
    }

    /// <summary>Stops watching; false if the timeout ended the exchange first (its connection is then aborted).</summary>
    public bool Untrack(BackendConnection connection)
    {
        lock (_lock)
        {
            Unlink(connection);
        }
        return connection.EndExchange();
    }

    public void Dispose() => _timer.Dispose();

    private void Check()
    {
        var now = Environment.TickCount64;
        List<BackendConnection>? expired = null;
        lock (_lock)
        {
            for (var connection = _first; connection is not null;)
            {
                var next = connection.NextInFlight;
                if (connection.TryExpire(now))
                {
                    Unlink(connection);
                    (expired ??= []).Add(connection);
                }
                connection = next;
            }
        }
        // Aborted outside the lock: with inline socket completions an abort can run the request's own continuation
        // (its error answer included) on this thread, and other requests must not wait for that to start or end.
        foreach (var connection in expired ?? [])
        {
            connection.AbortTimedOut();
        }
        _everySecond();
    }

    private void Unlink(BackendConnection connection)
    {
        if (!connection.IsTracked)
        {
            return;
        }
        if (connection.PreviousInFlight is { } previous)
        {
            previous.NextInFlight = connection.NextInFlight;
        }
        else
        {
            _first = connection.NextInFlight;
        }
        if (connection.NextInFlight is { } next)
        {
            next.PreviousInFlight = connection.PreviousInFlight;
        }
        connection.PreviousInFlight = connection.NextInFlight = null;
        connection.IsTracked = false;
    }
}
