namespace Matrix.Router.Telemetry;

/// <summary>
/// At most one log line per <see cref="Interval"/> for an event a client can cause at will, with the count of those held
/// back since: thousands of refusals then cost a counter each, not a log line each.
/// </summary>
public sealed class LogThrottle
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private long _nextLineAt = long.MinValue;
    private long _suppressed;

    /// <summary>True when a line may be written now; <paramref name="suppressed"/> is how many were held back since the last.</summary>
    public bool TryTakeLine(out long suppressed)
    {
        var now = Environment.TickCount64;
        var next = Volatile.Read(ref _nextLineAt);
        if (now < next || Interlocked.CompareExchange(ref _nextLineAt, now + (long)Interval.TotalMilliseconds, next) != next)
        {
            Interlocked.Increment(ref _suppressed);
            suppressed = 0;
            return false;
        }
        suppressed = Interlocked.Exchange(ref _suppressed, 0);
        return true;
    }
}
