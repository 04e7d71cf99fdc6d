using System.Net.Sockets;
using Matrix.AppHost.Configuration;
using Matrix.AppHost.Files;
using Matrix.AppHost.Kubernetes;
using Matrix.AppHost.Secrets;
using Matrix.Stack.Model;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Calls;

public static class CoturnExtensions
{
    public const string ResourceName = "coturn";
    private const string ConfigDirectory = "/etc/coturn";

    /// <summary>The coturn image runs as <c>nobody</c>; its secret file must be readable by that user.</summary>
    private const int CoturnUser = 65534;

    /// <summary>
    /// coturn with Synapse's shared-secret authentication. The listener (UDP and TCP) and the relay range are not proxied:
    /// relays must be reached on the addresses coturn advertises. Run mode publishes the relay range with the container
    /// runtime's <c>-p</c>; Kubernetes uses the node's network (a Service cannot forward a port range).
    /// The secret is read from its file at start, so it is neither in the config file nor in the pod spec.
    /// </summary>
    public static IResourceBuilder<ContainerResource>? AddCoturn(this IDistributedApplicationBuilder builder, MatrixDeployment deployment, MatrixSecrets secrets)
    {
        var options = deployment.Options;
        var turn = options.Coturn;
        if (!turn.Enabled)
        {
            return null;
        }
        var secretsDirectory = options.Synapse.SecretsDirectory;
        var image = ContainerImages.Coturn;
        var coturn = builder.AddContainer(ResourceName, image.Name, image.Tag)
            .WithImageRegistry(image.Registry)
            .WithEntrypoint("/bin/sh")
            .WithArgs("-c", LaunchCommand(ConfigDirectory, secretsDirectory))
            .WithGeneratedFiles(ConfigDirectory, StackFiles.Component(StackFiles.RenderConfig(deployment), "coturn"), CoturnUser)
            .WithSecretFiles(secretsDirectory,
                [new SecretFile(SecretName.TurnSharedSecret, MatrixSecrets.EnvironmentVariable(SecretName.TurnSharedSecret), secrets[SecretName.TurnSharedSecret])],
                CoturnUser)
            .WithEndpoint(port: turn.Port, targetPort: turn.Port, scheme: "turn", name: "turn-udp", isProxied: false, protocol: ProtocolType.Udp)
            .WithEndpoint(port: turn.Port, targetPort: turn.Port, scheme: "turn", name: "turn-tcp", isProxied: false, protocol: ProtocolType.Tcp)
            .WithKubernetesHostNetwork()
            .WithKubernetesSizing(ComponentSizing.Coturn);

        if (builder.ExecutionContext.IsRunMode)
        {
            coturn.WithContainerRuntimeArgs("-p", $"{turn.RelayPortMin}-{turn.RelayPortMax}:{turn.RelayPortMin}-{turn.RelayPortMax}/udp");
        }
        return coturn;
    }

    /// <summary>turnserver with the generated config, logging to stdout (the dashboard), the secret read from its file.</summary>
    public static string LaunchCommand(string configDirectory, string secretsDirectory) =>
        $"exec turnserver -c {configDirectory}/turnserver.conf --log-file=stdout " +
        $"--static-auth-secret=\"$(cat {secretsDirectory}/{SecretName.TurnSharedSecret})\"";
}
