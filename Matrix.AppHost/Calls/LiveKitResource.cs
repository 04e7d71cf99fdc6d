namespace Matrix.AppHost.Calls;

/// <summary>LiveKit, the MatrixRTC SFU: its HTTP/WebSocket API and its ICE-over-TCP port (the UDP range is published as a range).</summary>
public sealed class LiveKitResource(string name) : ContainerResource(name)
{
    public const string HttpEndpointName = "http";
    public const string RtcTcpEndpointName = "rtc-tcp";

    /// <summary>The <c>http</c> endpoint.</summary>
    public EndpointReference HttpEndpoint => field ??= new(this, HttpEndpointName);

    /// <summary>The <c>rtc-tcp</c> endpoint.</summary>
    public EndpointReference RtcTcpEndpoint => field ??= new(this, RtcTcpEndpointName);
}
