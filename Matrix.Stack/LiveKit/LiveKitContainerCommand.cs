using Matrix.Stack.LaunchScripts;
using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.LiveKit;

/// <summary>
/// How the LiveKit SFU starts in a container that receives its secrets as one-value files (Kubernetes Secret keys,
/// Aspire secret parameters): a POSIX <c>sh</c> entrypoint (the official image is Alpine, so it has one) that
/// <list type="bullet">
/// <item>writes <c>keys.yaml</c> (<c>"key": "secret"</c>) from the <c>livekit_api_key</c> and <c>livekit_api_secret</c>
/// files into a private temporary folder and starts LiveKit with <c>--key-file</c> on it (the flag wins over
/// <c>key_file</c> in config.yaml). LiveKit can take keys from the environment only as one combined
/// <c>LIVEKIT_KEYS="key: secret"</c> value, which two one-value secrets cannot give;</item>
/// <item>hands the <c>livekit_redis_password</c> file's value to LiveKit in <c>REDIS_PASSWORD</c>, the variable
/// LiveKit itself reads for <c>redis.password</c> (its <c>--redis-password</c> flag), so config.yaml holds no
/// password;</item>
/// <item>execs <c>livekit-server --config</c> on the delivered, secret-free config.yaml.</item>
/// </list>
/// Secret values are never on a command line and never printed.
/// </summary>
public sealed record LiveKitContainerCommand(string Script, string ConfigPath, string SecretsDirectory)
    : ComponentContainerCommand(
        Script, ConfigPath, SecretsDirectory, [SecretName.LiveKitApiKey, SecretName.LiveKitApiSecret, SecretName.LiveKitRedisPassword])
{
    /// <summary>The server binary in the official image (its entrypoint).</summary>
    public const string DefaultServerPath = "/livekit-server";

    /// <summary>LiveKit's own variable for its Redis password (the <c>--redis-password</c> flag).</summary>
    public const string RedisPasswordVariable = "REDIS_PASSWORD";

    /// <summary>The name of the key file the script writes, in its private temporary folder.</summary>
    public const string KeyFileName = "keys.yaml";

    /// <param name="options">The deployment (LiveKit must be on).</param>
    /// <param name="configDirectory">Where the <c>livekit/</c> folder is delivered in the container.</param>
    /// <param name="serverPath">The <c>livekit-server</c> binary.</param>
    public static LiveKitContainerCommand For(
        StackOptions options,
        string configDirectory = LiveKitConfigRenderer.ContainerConfigDirectory,
        string serverPath = DefaultServerPath)
    {
        if (!options.LiveKit.Enabled)
        {
            throw new InvalidOperationException("livekit.enabled is false: there is no LiveKit to start");
        }
        var secretsDirectory = options.Synapse.SecretsDirectory.TrimEnd('/');
        var configPath = $"{configDirectory.TrimEnd('/')}/{Path.GetFileName(LiveKitConfigRenderer.ConfigPath)}";
        string SecretPath(string name) => $"{secretsDirectory}/{name}";
        // keys.yaml holds double-quoted YAML scalars: a backslash or a quote in a value is escaped.
        const string EscapeForYaml = "sed -e 's/\\\\/\\\\\\\\/g' -e 's/\"/\\\\\"/g'";

        var script = new LaunchScript("livekit")
            .RequireFile(configPath, "the configuration file")
            .ReadSecret("api_key", SecretPath(SecretName.LiveKitApiKey), SecretName.LiveKitApiKey, SecretValueRule.PrintableWord)
            .ReadSecret("api_secret", SecretPath(SecretName.LiveKitApiSecret), SecretName.LiveKitApiSecret, SecretValueRule.PrintableWord)
            .ReadSecret("redis_password", SecretPath(SecretName.LiveKitRedisPassword), SecretName.LiveKitRedisPassword, SecretValueRule.NotEmpty)
            .PrivateTemporaryDirectory("keys", "livekit")
            // The values reach sed through a pipe from the printf builtin, never as arguments.
            .Line($"api_key=$(printf '%s' \"$api_key\" | {EscapeForYaml})")
            .Line($"api_secret=$(printf '%s' \"$api_secret\" | {EscapeForYaml})")
            .Line($"printf '\"%s\": \"%s\"\\n' \"$api_key\" \"$api_secret\" > \"$keys/{KeyFileName}\"")
            .Line("unset api_key api_secret")
            .Line($"{RedisPasswordVariable}=$redis_password")
            .Line($"export {RedisPasswordVariable}")
            .Line("unset redis_password")
            // Extra arguments given after the script's name ($0) are passed on to livekit-server.
            .Line($"exec {ShellQuoting.Quote(serverPath)} --config {ShellQuoting.Quote(configPath)} --key-file \"$keys/{KeyFileName}\" \"$@\"")
            .ToString();
        return new LiveKitContainerCommand(script, configPath, secretsDirectory);
    }
}
