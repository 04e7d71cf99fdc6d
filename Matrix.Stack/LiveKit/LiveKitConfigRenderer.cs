using System.Net;
using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;
using Matrix.Stack.Yaml;
using YamlDotNet.RepresentationModel;

namespace Matrix.Stack.LiveKit;

/// <summary>
/// The MatrixRTC backend: the LiveKit SFU's <c>config.yaml</c> (keys from livekit's config-sample.yaml and
/// pkg/config), its API key file, and lk-jwt-service's environment file. The API key and secret are written only to
/// <c>livekit/keys.yaml</c> (a secret file LiveKit reads through <c>key_file</c>), which only <see cref="Render"/> (the
/// CLI, one host) writes; in containers <see cref="LiveKitContainerCommand"/> derives it from the two one-value secret
/// files. lk-jwt-service reads the key and secret from those files through its <c>*_FROM_FILE</c> variables.
/// </summary>
public sealed class LiveKitConfigRenderer : IComponentRenderer
{
    public const string ConfigPath = "livekit/config.yaml";
    public const string KeysPath = "livekit/keys.yaml";
    public const string JwtServiceEnvironmentPath = "lk-jwt-service/lk-jwt-service.env";

    /// <summary>Where the <c>livekit/</c> folder is mounted in the SFU's container (start it with <c>--config /etc/livekit/config.yaml</c>).</summary>
    public const string ContainerConfigDirectory = "/etc/livekit";

    public IEnumerable<RenderedFile> Render(MatrixDeployment deployment, StackSecrets secrets) =>
        deployment.Options.LiveKit.Enabled ? [.. RenderConfiguration(deployment), new RenderedFile(KeysPath, KeyFile(secrets), RenderedFileKind.Secret)] : [];

    /// <summary>The files without secrets: <c>config.yaml</c> and lk-jwt-service's environment file.</summary>
    public IEnumerable<RenderedFile> RenderConfiguration(MatrixDeployment deployment) =>
        deployment.Options.LiveKit.Enabled
            ? [
                new RenderedFile(ConfigPath, ServerConfig(deployment.Options)),
                new RenderedFile(JwtServiceEnvironmentPath, JwtServiceEnvironment(deployment.Options)),
            ]
            : [];

    /// <summary>
    /// lk-jwt-service's environment (variables from its README and <c>config.go</c>), in the order of its environment
    /// file. No value is secret: the API key and secret are named by file (<c>LIVEKIT_KEY_FROM_FILE</c>,
    /// <c>LIVEKIT_SECRET_FROM_FILE</c>), the per-secret files of <c>synapse.secretsDirectory</c>.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> JwtServiceVariables(StackOptions options)
    {
        var secretsDirectory = options.Synapse.SecretsDirectory.TrimEnd('/');
        var variables = new KeyValuePair<string, string>[]
        {
            // The SFU URL handed to clients with their token; the service also creates rooms through it.
            new("LIVEKIT_URL", LiveKitEndpoints.SfuPublicUrl(options)),
            new("LIVEKIT_KEY_FROM_FILE", $"{secretsDirectory}/{SecretName.LiveKitApiKey}"),
            new("LIVEKIT_SECRET_FROM_FILE", $"{secretsDirectory}/{SecretName.LiveKitApiSecret}"),
            new("LIVEKIT_JWT_BIND", $":{options.LiveKit.JwtServicePort}"),
            // Only users of this homeserver may start calls (create rooms); others may join existing ones.
            new("LIVEKIT_FULL_ACCESS_HOMESERVERS", options.ServerName),
        };
        foreach (var (name, _) in variables.Where(variable => variable.Value.Any(char.IsControl)))
        {
            throw new InvalidOperationException($"{name} for lk-jwt-service would hold a line break or control character; check the setting it comes from");
        }
        return variables;
    }

    /// <summary>
    /// LiveKit puts its node address into ICE candidates. Behind NAT (a container, a cloud VM) that must be the public
    /// address, which <c>use_external_ip</c> discovers over STUN; for a local deployment (localhost names or loopback
    /// addresses) the discovered address would be wrong and the local one is right.
    /// </summary>
    public static bool UsesExternalIp(StackOptions options)
    {
        var host = new Uri(LiveKitEndpoints.SfuPublicUrl(options)).Host.Trim('[', ']');
        var local = host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
        return !local;
    }

    private static string ServerConfig(StackOptions options)
    {
        var liveKit = options.LiveKit;
        var root = new YamlMapping
        {
            { "port", liveKit.HttpPort },
            {
                "rtc", new YamlMapping
                {
                    // ICE over TCP for networks that block UDP; it cannot sit behind a load balancer or TLS.
                    { "tcp_port", liveKit.RtcTcpPort },
                    { "port_range_start", liveKit.RtcUdpPortStart },
                    { "port_range_end", liveKit.RtcUdpPortEnd },
                    { "use_external_ip", UsesExternalIp(options) },
                }
            },
            // LiveKit's own Redis (validation refuses Synapse's).
            { "redis", new YamlMapping { { "address", $"{liveKit.RedisHost}:{liveKit.RedisPort}" } } },
            { "key_file", $"{ContainerConfigDirectory}/keys.yaml" },
            // Only lk-jwt-service may create rooms (for users of this homeserver); otherwise any token holder could.
            { "room", new YamlMapping { { "auto_create", false } } },
            // The embedded TURN needs a TLS certificate and port 443/5349; TCP fallback covers UDP-blocking networks.
            { "turn", new YamlMapping { { "enabled", false } } },
            { "logging", new YamlMapping { { "level", "info" } } },
        };
        return YamlFile.Write(
            root,
            $"LiveKit SFU for {options.ServerName}, generated by Matrix.Stack: re-render instead of editing.",
            "The API key and secret are in keys.yaml (key_file), never here.");
    }

    private static string KeyFile(StackSecrets secrets)
    {
        // Quoted, so any characters in the key or secret survive YAML.
        var key = YamlFile.Quoted(secrets.Reveal(SecretName.LiveKitApiKey));
        var secret = YamlFile.Quoted(secrets.Reveal(SecretName.LiveKitApiSecret));
        return YamlFile.Write(new YamlMappingNode { { key, secret } });
    }

    private static string JwtServiceEnvironment(StackOptions options) =>
        $"# lk-jwt-service for {options.ServerName}, generated by Matrix.Stack (docker --env-file format).\n"
        + string.Concat(JwtServiceVariables(options).Select(variable => $"{variable.Key}={variable.Value}\n"));
}
