using System.Net.Sockets;
using Matrix.AppHost.Configuration;
using Matrix.AppHost.Files;
using Matrix.AppHost.Kubernetes;
using Matrix.Stack.LiveKit;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Calls;

public static class LiveKitExtensions
{
    public const string ResourceName = "livekit";
    public const string JwtServiceResourceName = "lk-jwt-service";

    /// <summary>
    /// LiveKit (the MatrixRTC SFU; its own Redis, never Synapse's, is added by the caller) and lk-jwt-service, which turns Matrix OpenID
    /// tokens into LiveKit tokens. Every secret arrives as a one-value file: LiveKit's launch script
    /// (<see cref="LiveKitContainerCommand"/>) builds its key file and hands it its Redis password; lk-jwt-service
    /// reads the key and secret through its <c>*_FROM_FILE</c> variables. WebRTC media uses the node's network in
    /// Kubernetes and the published UDP range in run mode.
    /// </summary>
    public static IResourceBuilder<ContainerResource> AddLiveKit(this IDistributedApplicationBuilder builder, MatrixStack stack)
    {
        var liveKit = stack.Options.LiveKit;
        var command = LiveKitContainerCommand.For(stack.Options);
        var server = builder.AddContainer(ResourceName, ContainerImages.Component.LiveKit)
            .WithMatrixImage(stack.Images, ContainerImages.Component.LiveKit)
            .WithEntrypoint(command.Entrypoint)
            .WithArgs(command.Arguments.ToArray())
            .WithGeneratedFiles(LiveKitConfigRenderer.ContainerConfigDirectory, stack.Files("livekit"))
            .WithSecretFiles(command.SecretsDirectory, command.SecretFiles.Select(stack.Secrets.File).ToList())
            .WithHttpEndpoint(targetPort: liveKit.HttpPort, name: "http")
            .WithEndpoint(port: liveKit.RtcTcpPort, targetPort: liveKit.RtcTcpPort, name: "rtc-tcp", isProxied: false, protocol: ProtocolType.Tcp)
            .WithHttpHealthCheck("/", endpointName: "http")
            .WithKubernetesHostNetwork()
            .WithKubernetesSizing(ComponentSizing.LiveKit);
        if (builder.ExecutionContext.IsRunMode)
        {
            server.WithContainerRuntimeArgs("-p", $"{liveKit.RtcUdpPortStart}-{liveKit.RtcUdpPortEnd}:{liveKit.RtcUdpPortStart}-{liveKit.RtcUdpPortEnd}/udp");
        }
        return server;
    }

    /// <summary>lk-jwt-service: the key and secret are named by file; the other values are Matrix.Stack's (the SFU's public URL, bind address).</summary>
    public static IResourceBuilder<ContainerResource> AddLiveKitJwtService(this IDistributedApplicationBuilder builder, MatrixStack stack)
    {
        var options = stack.Options;
        var jwtService = builder.AddContainer(JwtServiceResourceName, ContainerImages.Component.LiveKitJwtService)
            .WithMatrixImage(stack.Images, ContainerImages.Component.LiveKitJwtService)
            .WithSecretFiles(options.Synapse.SecretsDirectory, [stack.Secrets.File(SecretName.LiveKitApiKey), stack.Secrets.File(SecretName.LiveKitApiSecret)])
            .WithHttpEndpoint(targetPort: options.LiveKit.JwtServicePort, name: "http")
            .WithExternalHttpEndpoints()
            .WithHttpHealthCheck("/healthz", endpointName: "http")
            .WithKubernetesSizing(ComponentSizing.LiveKitJwtService);
        foreach (var (name, value) in LiveKitConfigRenderer.JwtServiceVariables(options))
        {
            jwtService.WithEnvironment(name, value);
        }
        return jwtService;
    }
}
