namespace Matrix.Tests.Router.Forwarding;

/// <summary>The forwarding suite against the earlier transport: YARP's <c>IHttpForwarder</c> over <c>SocketsHttpHandler</c>.</summary>
public sealed class YarpSocketsHttpHandlerForwardingTests : ForwardingConformanceSuite
{
    protected override string Transport => "SocketsHttpHandler";
}
