namespace Matrix.Tests.Router.Forwarding;

/// <summary>The forwarding suite against the transport the router ships: YARP's <c>IHttpForwarder</c> over <c>SocketsHttpHandler</c>.</summary>
public sealed class YarpSocketsHttpHandlerForwardingTests : ForwardingConformanceSuite
{
}
