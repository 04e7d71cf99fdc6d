using System.Net.Sockets;
using Matrix.AppHost.Configuration;
using Matrix.AppHost.Files;
using Matrix.AppHost.Kubernetes;
using Matrix.Stack.LiveKit;
using Matrix.Stack.Secrets;
using Matrix.Stack.Wiring;

namespace Matrix.AppHost.Calls;

public static class LiveKitExtensions
{
    /// <summary>
    /// LiveKit (the MatrixRTC SFU; its own Redis, never Synapse's, is added by the caller) and lk-jwt-service, which turns Matrix OpenID
    /// tokens into LiveKit tokens. Every secret arrives as a one-value file: LiveKit's launch script
    /// (<see cref="LiveKitContainerCommand"/>) builds its key file and hands it its Redis password; lk-jwt-service
    /// reads the key and secret through its <c>*_FROM_FILE</c> variables. WebRTC media uses the node's network in
    /// Kubernetes and the published UDP range in run mode.
    /// </summary>
    public static IResourceBuilder<LiveKitResource> AddLiveKit(this IDistributedApplicationBuilder builder, string name, MatrixStack stack)
    {
        ComponentNaming.Require(name, "Matrix.Stack's name for LiveKit", ComponentNames.LiveKit);
        var liveKit = stack.Options.LiveKit;
        var server = builder.AddResource(new LiveKitResource(name))
            .WithMatrixImage(stack.Images, ContainerImages.Component.LiveKit)
            .WithLaunchScript(LiveKitContainerCommand.For(stack.Options), stack, "livekit", LiveKitConfigRenderer.ContainerConfigDirectory)
            .WithHttpEndpoint(targetPort: liveKit.HttpPort, name: LiveKitResource.HttpEndpointName)
            .WithEndpoint(port: liveKit.RtcTcpPort, targetPort: liveKit.RtcTcpPort, name: LiveKitResource.RtcTcpEndpointName, isProxied: false, protocol: ProtocolType.Tcp)
            .WithHttpHealthCheck("/", endpointName: LiveKitResource.HttpEndpointName)
            .WithKubernetesHostNetwork()
            // livekit-server's image (Alpine) declares no user; its launch script writes only under $TMPDIR, so Alpine's nobody does.
            .WithKubernetesUser(new KubernetesRunAsAnnotation(65534, 65534))
            .WithKubernetesSizing(stack.Sizing.LiveKit);
        if (builder.ExecutionContext.IsRunMode)
        {
            server.WithContainerRuntimeArgs("-p", $"{liveKit.RtcUdpPortStart}-{liveKit.RtcUdpPortEnd}:{liveKit.RtcUdpPortStart}-{liveKit.RtcUdpPortEnd}/udp");
        }
        return server;
    }

    /// <summary>lk-jwt-service: the key and secret are named by file; the other values are Matrix.Stack's (the SFU's public URL, bind address).</summary>
    public static IResourceBuilder<LiveKitJwtServiceResource> AddLiveKitJwtService(this IDistributedApplicationBuilder builder, string name, MatrixStack stack)
    {
        ComponentNaming.Require(name, "Matrix.Stack's name for lk-jwt-service", ComponentNames.LiveKitJwtService);
        var options = stack.Options;
        var jwtService = builder.AddResource(new LiveKitJwtServiceResource(name))
            .WithMatrixImage(stack.Images, ContainerImages.Component.LiveKitJwtService)
            .WithSecretFiles(options.Synapse.SecretsDirectory, [stack.Secrets.File(SecretName.LiveKitApiKey), stack.Secrets.File(SecretName.LiveKitApiSecret)])
            .WithHttpEndpoint(targetPort: options.LiveKit.JwtServicePort, name: LiveKitJwtServiceResource.HttpEndpointName)
            .WithExternalHttpEndpoints()
            .WithHttpHealthCheck("/healthz", endpointName: LiveKitJwtServiceResource.HttpEndpointName)
            // A static Go binary that writes nothing, so any non-root user does: 65532, the usual "nonroot" (distroless's).
            .WithKubernetesUser(new KubernetesRunAsAnnotation(65532, 65532))
            .WithKubernetesSizing(stack.Sizing.LiveKitJwtService);
        foreach (var (variable, value) in LiveKitConfigRenderer.JwtServiceVariables(options))
        {
            jwtService.WithEnvironment(variable, value);
        }
        return jwtService;
    }
}
