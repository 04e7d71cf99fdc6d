using Matrix.ServiceDefaults.Configuration;

namespace Matrix.Router.Configuration;

/// <summary>Active health checks (<c>Router:Health</c>): <c>GET {instance}{Path}</c> every <see cref="Interval"/>.</summary>
public sealed class ActiveHealthOptions
{
    public Duration Interval { get; set; } = Duration.FromSeconds(5);

    public Duration Timeout { get; set; } = Duration.FromSeconds(2);

    /// <summary>Synapse answers <c>OK</c> on <c>/health</c> on every listener.</summary>
    public string Path { get; set; } = "/health";

    /// <summary>Consecutive failed probes before an instance is taken out.</summary>
    public int UnhealthyThreshold { get; set; } = 2;

    /// <summary>Consecutive successful probes before an instance that was out comes back.</summary>
    public int HealthyThreshold { get; set; } = 1;
}
