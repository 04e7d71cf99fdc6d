using Matrix.AppHost.Configuration;
using Matrix.AppHost.Files;
using Matrix.AppHost.Kubernetes;

namespace Matrix.AppHost.Clients;

public static class WebClientsExtensions
{
    public const string ElementWebResourceName = "element-web";
    public const string SynapseAdminResourceName = "synapse-admin";
    private const int ElementWebPort = 8080;

    /// <summary>Element Web with the generated <c>config.json</c> placed beside the image's own files in <c>/app</c>.</summary>
    public static IResourceBuilder<ContainerResource> AddElementWeb(this IDistributedApplicationBuilder builder, MatrixStack stack) =>
        builder.AddContainer(ElementWebResourceName, ContainerImages.Component.ElementWeb)
            .WithMatrixImage(stack.Images, ContainerImages.Component.ElementWeb)
            .WithEnvironment("ELEMENT_WEB_PORT", ElementWebPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithGeneratedFiles("/app", stack.Files("element-web"), besideImageFiles: true)
            .WithHttpEndpoint(targetPort: ElementWebPort, name: "http")
            .WithExternalHttpEndpoints()
            .WithHttpHealthCheck("/config.json", endpointName: "http")
            .WithKubernetesSizing(ComponentSizing.StaticWeb);

    /// <summary>Synapse Admin, a static web UI; it talks to the homeserver through the router from the browser.</summary>
    public static IResourceBuilder<ContainerResource> AddSynapseAdmin(this IDistributedApplicationBuilder builder, MatrixStack stack) =>
        builder.AddContainer(SynapseAdminResourceName, ContainerImages.Component.SynapseAdmin)
            .WithMatrixImage(stack.Images, ContainerImages.Component.SynapseAdmin)
            .WithHttpEndpoint(targetPort: 80, name: "http")
            .WithExternalHttpEndpoints()
            .WithHttpHealthCheck("/", endpointName: "http")
            .WithKubernetesSizing(ComponentSizing.StaticWeb);
}
