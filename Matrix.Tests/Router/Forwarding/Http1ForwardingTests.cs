namespace Matrix.Tests.Router.Forwarding;

/// <summary>The forwarding suite against the router's own HTTP/1.1 transport (<c>Router:Transport=Http1</c>, the default).</summary>
public sealed class Http1ForwardingTests : ForwardingConformanceSuite
{
    protected override string Transport => "Http1";
}
