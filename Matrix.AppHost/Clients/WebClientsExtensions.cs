using Matrix.AppHost.Configuration;
using Matrix.AppHost.Files;
using Matrix.AppHost.Kubernetes;
using Matrix.Stack.Wiring;

namespace Matrix.AppHost.Clients;

public static class WebClientsExtensions
{
    public const string SynapseAdminResourceName = ComponentNames.SynapseAdmin;
    private const int ElementWebPort = 8080;

    /// <summary>Element Web with the generated <c>config.json</c> placed beside the image's own files in <c>/app</c>.</summary>
    public static IResourceBuilder<ElementWebResource> AddElementWeb(this IDistributedApplicationBuilder builder, string name, MatrixStack stack)
    {
        ComponentNaming.Require(name, "Matrix.Stack's name for Element Web", ComponentNames.ElementWeb);
        return builder.AddResource(new ElementWebResource(name))
            .WithMatrixImage(stack.Images, ContainerImages.Component.ElementWeb)
            .WithEnvironment("ELEMENT_WEB_PORT", ElementWebPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithGeneratedFiles("/app", stack.Files("element-web"), besideImageFiles: true)
            .WithHttpEndpoint(targetPort: ElementWebPort, name: ElementWebResource.HttpEndpointName)
            .WithExternalHttpEndpoints()
            .WithHttpHealthCheck("/config.json", endpointName: ElementWebResource.HttpEndpointName)
            // Built on nginx-unprivileged (hence ELEMENT_WEB_PORT above 1024): its user nginx is 101:101.
            .WithKubernetesUser(new KubernetesRunAsAnnotation(101, 101))
            .WithKubernetesSizing(stack.Sizing.StaticWeb);
    }

    /// <summary>Synapse Admin, a static web UI; it talks to the homeserver through the router from the browser.</summary>
    public static IResourceBuilder<SynapseAdminResource> AddSynapseAdmin(this IDistributedApplicationBuilder builder, string name, MatrixStack stack)
    {
        ComponentNaming.Require(name, "Matrix.Stack's name for Synapse Admin", ComponentNames.SynapseAdmin);
        return builder.AddResource(new SynapseAdminResource(name))
            .WithMatrixImage(stack.Images, ContainerImages.Component.SynapseAdmin)
            .WithHttpEndpoint(targetPort: 80, name: SynapseAdminResource.HttpEndpointName)
            .WithExternalHttpEndpoints()
            .WithHttpHealthCheck("/", endpointName: SynapseAdminResource.HttpEndpointName)
            // Built on nginx (Alpine), whose master runs as root: as its user nginx (101:101) it needs port 80 allowed and
            // its cache and pid directories writable.
            .WithKubernetesUser(new KubernetesRunAsAnnotation(101, 101) { WritableDirectories = ["/var/cache/nginx", "/run"], BindsPrivilegedPort = true })
            .WithKubernetesSizing(stack.Sizing.StaticWeb);
    }
}
