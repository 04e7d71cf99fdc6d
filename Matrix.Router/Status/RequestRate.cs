using System.Diagnostics;

namespace Matrix.Router.Status;

/// <summary>Requests per second over the last ten seconds, from samples of a request counter taken once a second.</summary>
public sealed class RequestRate
{
    private const int Window = 11;
    private readonly Lock _gate = new();
    private readonly (long Timestamp, long Count)[] _samples = new (long, long)[Window];
    private int _next;
    private int _filled;

    public void Sample(long count)
    {
        lock (_gate)
        {
            _samples[_next] = (Stopwatch.GetTimestamp(), count);
            _next = (_next + 1) % Window;
            _filled = Math.Min(_filled + 1, Window);
        }
    }

    public double PerSecond
    {
        get
        {
            lock (_gate)
            {
                if (_filled < 2)
                {
                    return 0;
                }
                var newest = _samples[(_next - 1 + Window) % Window];
                var oldest = _samples[_filled < Window ? 0 : _next];
                var seconds = Stopwatch.GetElapsedTime(oldest.Timestamp, newest.Timestamp).TotalSeconds;
                return seconds <= 0 ? 0 : Math.Round((newest.Count - oldest.Count) / seconds, 2);
            }
        }
    }
}
