namespace Matrix.Router.Transport;

/// <summary>How forwarded requests travel to Synapse (<c>Router:Transport</c>).</summary>
public enum ForwardingTransport
{
    /// <summary>
    /// The router's own HTTP/1.1 client (<see cref="Http1Forwarder"/>): Kestrel's request written straight to a pooled
    /// socket and the answer parsed straight into Kestrel's response, holding no buffer while it waits.
    /// </summary>
    Http1,

    /// <summary>YARP's forwarder over .NET's <c>SocketsHttpHandler</c>: the previous transport, kept for comparison.</summary>
    SocketsHttpHandler,
}
