using Matrix.AppHost.Configuration;
using Matrix.AppHost.Files;
using Matrix.AppHost.Kubernetes;
using Matrix.Stack.Model;

namespace Matrix.AppHost.Clients;

public static class WebClientsExtensions
{
    public const string ElementWebResourceName = "element-web";
    public const string SynapseAdminResourceName = "synapse-admin";
    private const int ElementWebPort = 8080;

    /// <summary>Element Web with the generated <c>config.json</c> placed beside the image's own files in <c>/app</c>.</summary>
    public static IResourceBuilder<ContainerResource>? AddElementWeb(
        this IDistributedApplicationBuilder builder, MatrixDeployment deployment, IResourceBuilder<ProjectResource> router)
    {
        if (!deployment.Options.ElementWeb.Enabled)
        {
            return null;
        }
        var image = ContainerImages.ElementWeb;
        return builder.AddContainer(ElementWebResourceName, image.Name, image.Tag)
            .WithImageRegistry(image.Registry)
            .WithEnvironment("ELEMENT_WEB_PORT", ElementWebPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithGeneratedFiles("/app", StackFiles.Component(StackFiles.RenderConfig(deployment), "element-web"), besideImageFiles: true)
            .WithHttpEndpoint(targetPort: ElementWebPort, name: "http")
            .WithExternalHttpEndpoints()
            .WithHttpHealthCheck("/config.json", endpointName: "http")
            .WithReferenceRelationship(router)
            .WithKubernetesSizing(ComponentSizing.StaticWeb);
    }

    /// <summary>Synapse Admin, a static web UI; it talks to the homeserver through the router from the browser.</summary>
    public static IResourceBuilder<ContainerResource>? AddSynapseAdmin(
        this IDistributedApplicationBuilder builder, MatrixDeployment deployment, IResourceBuilder<ProjectResource> router)
    {
        if (!deployment.Options.SynapseAdmin.Enabled)
        {
            return null;
        }
        var image = ContainerImages.SynapseAdmin;
        return builder.AddContainer(SynapseAdminResourceName, image.Name, image.Tag)
            .WithImageRegistry(image.Registry)
            .WithHttpEndpoint(targetPort: 80, name: "http")
            .WithExternalHttpEndpoints()
            .WithHttpHealthCheck("/", endpointName: "http")
            .WithReferenceRelationship(router)
            .WithKubernetesSizing(ComponentSizing.StaticWeb);
    }
}
