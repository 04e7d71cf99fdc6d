using System.Net.Sockets;
using Matrix.AppHost.Configuration;
using Matrix.AppHost.Data;
using Matrix.AppHost.Files;
using Matrix.AppHost.Kubernetes;
using Matrix.AppHost.Secrets;
using Matrix.Stack.LiveKit;
using Matrix.Stack.Model;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Calls;

public static class LiveKitExtensions
{
    public const string ResourceName = "livekit";
    public const string JwtServiceResourceName = "lk-jwt-service";

    /// <summary>
    /// LiveKit (the MatrixRTC SFU) with its own Redis, never Synapse's, and lk-jwt-service, which turns Matrix OpenID
    /// tokens into LiveKit tokens. Every secret arrives as a one-value file: LiveKit's launch script
    /// (<see cref="LiveKitContainerCommand"/>) builds its key file and hands it its Redis password; lk-jwt-service
    /// reads the key and secret through its <c>*_FROM_FILE</c> variables. WebRTC media uses the node's network in
    /// Kubernetes and the published UDP range in run mode.
    /// </summary>
    public static IResourceBuilder<ContainerResource>? AddLiveKit(this IDistributedApplicationBuilder builder, MatrixDeployment deployment, MatrixSecrets secrets)
    {
        var options = deployment.Options;
        var liveKit = options.LiveKit;
        if (!liveKit.Enabled)
        {
            return null;
        }
        var redis = builder.AddPrivateRedis(liveKit.RedisHost, secrets[SecretName.LiveKitRedisPassword]);
        var files = StackFiles.RenderConfig(deployment);
        var command = LiveKitContainerCommand.For(options);

        var image = ContainerImages.LiveKit;
        var server = builder.AddContainer(ResourceName, image.Name, image.Tag)
            .WithImageRegistry(image.Registry)
            .WithEntrypoint(command.Entrypoint)
            .WithArgs(command.Arguments.ToArray())
            .WithGeneratedFiles(LiveKitConfigRenderer.ContainerConfigDirectory, StackFiles.Component(files, "livekit"))
            .WithSecretFiles(command.SecretsDirectory, command.SecretFiles.Select(secrets.File).ToList())
            .WithHttpEndpoint(targetPort: liveKit.HttpPort, name: "http")
            .WithEndpoint(port: liveKit.RtcTcpPort, targetPort: liveKit.RtcTcpPort, name: "rtc-tcp", isProxied: false, protocol: ProtocolType.Tcp)
            .WithHttpHealthCheck("/", endpointName: "http")
            .WaitFor(redis)
            .WithKubernetesHostNetwork()
            .WithKubernetesSizing(ComponentSizing.LiveKit);
        if (builder.ExecutionContext.IsRunMode)
        {
            server.WithContainerRuntimeArgs("-p", $"{liveKit.RtcUdpPortStart}-{liveKit.RtcUdpPortEnd}:{liveKit.RtcUdpPortStart}-{liveKit.RtcUdpPortEnd}/udp");
        }

        var jwtImage = ContainerImages.LiveKitJwtService;
        var jwtService = builder.AddContainer(JwtServiceResourceName, jwtImage.Name, jwtImage.Tag)
            .WithImageRegistry(jwtImage.Registry)
            // The key and secret are named by file; the other values are Matrix.Stack's (the SFU's public URL, bind address).
            .WithSecretFiles(options.Synapse.SecretsDirectory, [secrets.File(SecretName.LiveKitApiKey), secrets.File(SecretName.LiveKitApiSecret)])
            .WithHttpEndpoint(targetPort: liveKit.JwtServicePort, name: "http")
            .WithExternalHttpEndpoints()
            .WithHttpHealthCheck("/healthz", endpointName: "http")
            .WaitFor(server)
            .WithKubernetesSizing(ComponentSizing.LiveKitJwtService);
        foreach (var (name, value) in LiveKitConfigRenderer.JwtServiceVariables(options))
        {
            jwtService.WithEnvironment(name, value);
        }

        return server;
    }
}
