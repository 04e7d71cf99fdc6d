using Matrix.ServiceDefaults.Configuration;

namespace Matrix.Router.Configuration;

/// <summary>
/// When failures of forwarded requests take an instance out (<c>Router:PassiveHealth</c>, modelled on YARP's
/// <c>TransportFailureRateHealthPolicy</c>): <see cref="ConsecutiveFailures"/> transport failures in a row, or a
/// failure rate of at least <see cref="FailureRate"/> over <see cref="Window"/> once <see cref="MinimumRequests"/>
/// requests were seen. Only transport failures count (the instance reset or closed the connection, or did not answer
/// in time); failures the client caused (it went away, sent a bad body, an unusable Host) never do. A refused
/// connection, where nothing was sent, still takes the instance out at once.
/// </summary>
public sealed class PassiveHealthOptions
{
    public int ConsecutiveFailures { get; set; } = 5;

    public double FailureRate { get; set; } = 0.3;

    public Duration Window { get; set; } = Duration.FromSeconds(60);

    public int MinimumRequests { get; set; } = 10;
}
