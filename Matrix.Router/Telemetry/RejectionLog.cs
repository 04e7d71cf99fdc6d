using Microsoft.Extensions.Logging;

namespace Matrix.Router.Telemetry;

/// <summary>
/// Requests the router refuses before forwarding because the client got them wrong (an unusable Host, CONNECT, a
/// head Synapse would not read): each is counted in <c>matrix.router.rejected</c>, and at most one log line is
/// written per <see cref="Interval"/>, saying how many more were refused since. A client sending thousands of them
/// then costs a counter, not a log line (let alone a stack trace) each. The line holds the reason only: no URL, no
/// header, nothing a client sent.
/// </summary>
public sealed partial class RejectionLog(RouterMetrics metrics, ILogger<RejectionLog> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private long _nextLineAt = long.MinValue;
    private long _suppressed;

    public void Rejected(string reason)
    {
        metrics.Rejected(reason);
        var now = Environment.TickCount64;
        var next = Volatile.Read(ref _nextLineAt);
        if (now < next || Interlocked.CompareExchange(ref _nextLineAt, now + (long)Interval.TotalMilliseconds, next) != next)
        {
            Interlocked.Increment(ref _suppressed);
            return;
        }
        LogRejected(reason, Interlocked.Exchange(ref _suppressed, 0));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a request before forwarding: {Reason}; {Suppressed} more refused since the previous line (one line per 10 s at most; matrix.router.rejected counts every one)")]
    private partial void LogRejected(string reason, long suppressed);
}
