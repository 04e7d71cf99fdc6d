using Matrix.Router.Configuration;

namespace Matrix.Router.Health;

/// <summary>
/// Whether one instance may take requests. Starts healthy (so the router serves at once); active probes move it
/// after <see cref="ActiveHealthOptions.UnhealthyThreshold"/> failures or <see cref="ActiveHealthOptions.HealthyThreshold"/>
/// successes. Passively, a refused connection takes it out at once (nothing was sent, so no request can have caused
/// it); transport failures after a request was sent take it out only as <see cref="PassiveHealthOptions"/> says (several
/// in a row, or a failure rate), because one client's request can make Synapse close a connection. Only probes bring
/// an instance back.
/// </summary>
public sealed class InstanceHealth(ActiveHealthOptions options, PassiveHealthOptions passive)
{
    private readonly Lock _gate = new();
    private readonly long _windowMilliseconds = (long)passive.Window.Value.TotalMilliseconds;
    private volatile bool _healthy = true;
    private int _failures;
    private int _successes;
    private int _consecutiveTransportFailures;
    private long _windowStart = Environment.TickCount64;
    private int _windowRequests;
    private int _windowTransportFailures;

    public bool IsHealthy => _healthy;

    /// <summary>Why it was last taken out (no request data: a connection error or a probe status).</summary>
    public string? LastProblem { get; private set; }

    public DateTimeOffset? LastChange { get; private set; }

    /// <summary>Records an active probe; true when this changed the state.</summary>
    public bool ReportProbe(bool success, string? problem)
    {
        lock (_gate)
        {
            if (success)
            {
                _failures = 0;
                _successes++;
                if (!_healthy && _successes >= options.HealthyThreshold)
                {
                    // Back in with a clean slate: old failures must not take it out again at the next one.
                    _consecutiveTransportFailures = 0;
                    _windowRequests = 0;
                    _windowTransportFailures = 0;
                    return Set(true, LastProblem);
                }
                return false;
            }
            _successes = 0;
            _failures++;
            if (_healthy && _failures < options.UnhealthyThreshold)
            {
                return false;
            }
            LastProblem = problem;
            return _healthy && Set(false, problem);
        }
    }

    /// <summary>A forwarded request got its answer (whatever its status): the instance's transport works.</summary>
    public void ReportForwarded()
    {
        if (Volatile.Read(ref _consecutiveTransportFailures) != 0)
        {
            Volatile.Write(ref _consecutiveTransportFailures, 0);
        }
        RollWindow();
        Interlocked.Increment(ref _windowRequests);
    }

    /// <summary>No connection could be made to the instance: out at once. True when this changed the state.</summary>
    public bool ReportConnectFailure(string problem)
    {
        lock (_gate)
        {
            _successes = 0;
            LastProblem = problem;
            return _healthy && Set(false, problem);
        }
    }

    /// <summary>
    /// The instance reset or closed the connection, or stopped answering, after a request was sent. Out when this
    /// makes <see cref="PassiveHealthOptions.ConsecutiveFailures"/> in a row or the window's failure rate reaches the
    /// limit. True when this changed the state.
    /// </summary>
    public bool ReportTransportFailure(string problem)
    {
        RollWindow();
        lock (_gate)
        {
            var consecutive = Interlocked.Increment(ref _consecutiveTransportFailures);
            var requests = Interlocked.Increment(ref _windowRequests);
            var failures = Interlocked.Increment(ref _windowTransportFailures);
            var tooMany = consecutive >= passive.ConsecutiveFailures
                || (requests >= passive.MinimumRequests && failures >= passive.FailureRate * requests);
            if (!_healthy || !tooMany)
            {
                return false;
            }
            _successes = 0;
            return Set(false, $"{problem} ({consecutive} in a row, {failures} of {requests} requests in the window)");
        }
    }

    // A tumbling window: counts start again once it has passed.
    private void RollWindow()
    {
        var now = Environment.TickCount64;
        if (now - Volatile.Read(ref _windowStart) < _windowMilliseconds)
        {
            return;
        }
        lock (_gate)
        {
            if (now - _windowStart >= _windowMilliseconds)
            {
                _windowStart = now;
                Volatile.Write(ref _windowRequests, 0);
                Volatile.Write(ref _windowTransportFailures, 0);
            }
        }
    }

    private bool Set(bool healthy, string? problem)
    {
        _healthy = healthy;
        LastProblem = problem;
        LastChange = DateTimeOffset.UtcNow;
        return true;
    }
}
