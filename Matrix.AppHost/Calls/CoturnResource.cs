namespace Matrix.AppHost.Calls;

/// <summary>coturn, the TURN relay: its listener over UDP and TCP (the relay range is not an endpoint: it is published as a range).</summary>
public sealed class CoturnResource(string name) : ContainerResource(name)
{
    public const string TurnUdpEndpointName = "turn-udp";
    public const string TurnTcpEndpointName = "turn-tcp";

    /// <summary>The <c>turn-udp</c> endpoint.</summary>
    public EndpointReference TurnUdpEndpoint => field ??= new(this, TurnUdpEndpointName);
}
