using Matrix.Router.Configuration;

namespace Matrix.Router.Health;

/// <summary>
/// Whether one instance may take requests. Starts healthy (so the router serves at once); active probes move it
/// after <see cref="ActiveHealthOptions.UnhealthyThreshold"/> failures or <see cref="ActiveHealthOptions.HealthyThreshold"/>
/// successes; a refused or reset connection (passive) takes it out at once, and only probes bring it back.
/// </summary>
public sealed class InstanceHealth(ActiveHealthOptions options)
{
    private readonly Lock _gate = new();
    private volatile bool _healthy = true;
    private int _failures;
    private int _successes;

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
                return !_healthy && _successes >= options.HealthyThreshold && Set(true, LastProblem);
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

    /// <summary>A connection to the instance was refused or reset: out at once. True when this changed the state.</summary>
    public bool ReportConnectionFailure(string problem)
    {
        lock (_gate)
        {
            _successes = 0;
            LastProblem = problem;
            return _healthy && Set(false, problem);
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
