namespace Matrix.Router.Configuration;

/// <summary>Active health checks: <c>GET {instance}{Path}</c> every <see cref="Interval"/>.</summary>
public sealed record ActiveHealthOptions
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Synapse answers <c>OK</c> on <c>/health</c> on every listener.</summary>
    public string Path { get; init; } = "/health";

    /// <summary>Consecutive failed probes before an instance is taken out.</summary>
    public int UnhealthyThreshold { get; init; } = 2;

    /// <summary>Consecutive successful probes before an instance that was out comes back.</summary>
    public int HealthyThreshold { get; init; } = 1;
}
