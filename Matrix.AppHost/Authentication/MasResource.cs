namespace Matrix.AppHost.Authentication;

/// <summary>Matrix Authentication Service (MAS): its web listener (OIDC, login pages, compatibility login API) and its health listener.</summary>
public sealed class MasResource(string name) : ContainerResource(name)
{
    public const string HttpEndpointName = "http";
    public const string HealthEndpointName = "health";

    /// <summary>The <c>http</c> endpoint.</summary>
    public EndpointReference HttpEndpoint => field ??= new(this, HttpEndpointName);

    /// <summary>The <c>health</c> endpoint.</summary>
    public EndpointReference HealthEndpoint => field ??= new(this, HealthEndpointName);
}
