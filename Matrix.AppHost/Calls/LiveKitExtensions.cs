using System.Net.Sockets;
using Matrix.AppHost.Configuration;
using Matrix.AppHost.Data;
using Matrix.AppHost.Files;
using Matrix.AppHost.Kubernetes;
using Matrix.AppHost.Secrets;
using Matrix.Stack.Model;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Calls;

public static class LiveKitExtensions
{
    public const string ResourceName = "livekit";
    public const string JwtServiceResourceName = "lk-jwt-service";
    public const string RedisPasswordFile = "livekit_redis_password";
    private const string ConfigDirectory = "/etc/livekit";

    /// <summary>
    /// LiveKit (the MatrixRTC SFU) with its own Redis, never Synapse's, and lk-jwt-service, which turns Matrix
    /// OpenID tokens into LiveKit tokens. Keys come from secret parameters (<c>LIVEKIT_KEYS</c>); WebRTC media uses the
    /// node's network in Kubernetes and the published UDP range in run mode.
    /// </summary>
    public static IResourceBuilder<ContainerResource>? AddLiveKit(this IDistributedApplicationBuilder builder, MatrixDeployment deployment, MatrixSecrets secrets)
    {
        var options = deployment.Options;
        var liveKit = options.LiveKit;
        if (!liveKit.Enabled)
        {
            return null;
        }
        var redis = builder.AddPrivateRedis(liveKit.RedisHost, secrets.LiveKitRedisPassword);
        var apiKey = secrets[SecretName.LiveKitApiKey];
        var apiSecret = secrets[SecretName.LiveKitApiSecret];

        var image = ContainerImages.LiveKit;
        var server = builder.AddContainer(ResourceName, image.Name, image.Tag)
            .WithImageRegistry(image.Registry)
            .WithArgs("--config", $"{ConfigDirectory}/config.yaml")
            .WithGeneratedFiles(ConfigDirectory, StackFiles.Component(StackFiles.RenderConfig(deployment), "livekit"))
            .WithSecretFiles(options.Synapse.SecretsDirectory,
                [new SecretFile(RedisPasswordFile, MatrixSecrets.EnvironmentVariable(RedisPasswordFile), secrets.LiveKitRedisPassword)])
            .WithEnvironment("LIVEKIT_KEYS", ReferenceExpression.Create($"{apiKey}: {apiSecret}"))
            .WithHttpEndpoint(targetPort: liveKit.HttpPort, name: "http")
            .WithEndpoint(port: liveKit.RtcTcpPort, targetPort: liveKit.RtcTcpPort, name: "rtc-tcp", isProxied: false, protocol: ProtocolType.Tcp)
            .WithHttpHealthCheck("/", endpointName: "http")
            .WaitFor(redis)
            .WithAliasService()
            .WithKubernetesHostNetwork()
            .WithKubernetesSizing(ComponentSizing.LiveKit);
        if (builder.ExecutionContext.IsRunMode)
        {
            server.WithContainerRuntimeArgs("-p", $"{liveKit.RtcUdpPortStart}-{liveKit.RtcUdpPortEnd}:{liveKit.RtcUdpPortStart}-{liveKit.RtcUdpPortEnd}/udp");
        }

        var jwtImage = ContainerImages.LiveKitJwtService;
        builder.AddContainer(JwtServiceResourceName, jwtImage.Name, jwtImage.Tag)
            .WithImageRegistry(jwtImage.Registry)
            // The URL handed to clients: LiveKit's public signalling address, not the in-cluster one.
            .WithEnvironment("LIVEKIT_URL", liveKit.PublicUrl ?? $"wss://livekit.{options.ServerName}")
            .WithEnvironment("LIVEKIT_KEY", apiKey)
            .WithEnvironment("LIVEKIT_SECRET", apiSecret)
            .WithEnvironment("LIVEKIT_JWT_PORT", liveKit.JwtServicePort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("LIVEKIT_FULL_ACCESS_HOMESERVERS", options.ServerName)
            .WithHttpEndpoint(targetPort: liveKit.JwtServicePort, name: "http")
            .WithExternalHttpEndpoints()
            .WithHttpHealthCheck("/healthz", endpointName: "http")
            .WaitFor(server)
            .WithAliasService()
            .WithKubernetesSizing(ComponentSizing.LiveKitJwtService);

        return server;
    }
}
