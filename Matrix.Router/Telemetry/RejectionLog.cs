using Microsoft.Extensions.Logging;

namespace Matrix.Router.Telemetry;

/// <summary>
/// Requests the router refuses before forwarding because the client got them wrong (an unusable Host, CONNECT, a
/// head Synapse would not read): each is counted in <c>matrix.router.rejected</c>, and at most one log line is
/// written per <see cref="LogThrottle.Interval"/>, saying how many more were refused since. A client sending thousands of them
/// then costs a counter, not a log line (let alone a stack trace) each. The line holds the reason only: no URL, no
/// header, nothing a client sent.
/// </summary>
public sealed partial class RejectionLog(RouterMetrics metrics, ILogger<RejectionLog> logger)
{
    private readonly LogThrottle _throttle = new();

    public void Rejected(string reason)
    {
        metrics.Rejected(reason);
        if (_throttle.TryTakeLine(out var suppressed))
        {
            LogRejected(reason, suppressed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a request before forwarding: {Reason}; {Suppressed} more refused since the previous line (one line per 10 s at most; matrix.router.rejected counts every one)")]
    private partial void LogRejected(string reason, long suppressed);
}
