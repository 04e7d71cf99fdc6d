namespace Matrix.AppHost.Clients;

/// <summary>Element Web, the static web client, with the stack's config.json.</summary>
public sealed class ElementWebResource(string name) : ContainerResource(name)
{
    public const string HttpEndpointName = "http";

    /// <summary>The <c>http</c> endpoint.</summary>
    public EndpointReference HttpEndpoint => field ??= new(this, HttpEndpointName);
}
