namespace Matrix.AppHost.Calls;

/// <summary>lk-jwt-service, which turns Matrix OpenID tokens into LiveKit tokens.</summary>
public sealed class LiveKitJwtServiceResource(string name) : ContainerResource(name)
{
    public const string HttpEndpointName = "http";

    /// <summary>The <c>http</c> endpoint.</summary>
    public EndpointReference HttpEndpoint => field ??= new(this, HttpEndpointName);
}
