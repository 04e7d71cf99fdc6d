namespace Matrix.AppHost.Clients;

/// <summary>Synapse Admin, a static web UI that talks to the admin API through the router from the browser.</summary>
public sealed class SynapseAdminResource(string name) : ContainerResource(name)
{
    public const string HttpEndpointName = "http";

    /// <summary>The <c>http</c> endpoint.</summary>
    public EndpointReference HttpEndpoint => field ??= new(this, HttpEndpointName);
}
