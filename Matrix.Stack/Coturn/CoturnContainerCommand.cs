using Matrix.Stack.LaunchScripts;
using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.Coturn;

/// <summary>
/// How coturn starts in a container that receives its shared secret as a one-value file (a Kubernetes Secret key, an
/// Aspire secret parameter): a POSIX <c>sh</c> entrypoint that copies the secret-free <c>turnserver.conf</c>
/// (<see cref="CoturnConfigRenderer.RenderConfiguration"/>, delivered at <see cref="ConfigPath"/>) to a private
/// temporary file, appends <c>static-auth-secret=</c> with the value read from <see cref="SecretFiles"/>, and execs
/// <c>turnserver -c</c> on that file. The result is byte for byte the file <c>render</c> writes for one host. The secret
/// is never on a command line (coturn's <c>--static-auth-secret</c> would show it in every process listing) and never
/// printed; a value coturn would misread stops the container instead.
/// </summary>
public sealed record CoturnContainerCommand(string Script, string ConfigPath, string SecretsDirectory)
    : ComponentContainerCommand(Script, ConfigPath, SecretsDirectory, [SecretName.TurnSharedSecret])
{
    /// <summary>coturn's server, found on PATH.</summary>
    public const string TurnServer = "turnserver";

    /// <param name="options">The deployment (coturn must be on).</param>
    /// <param name="configDirectory">Where the <c>coturn/</c> folder is delivered in the container.</param>
    public static CoturnContainerCommand For(StackOptions options, string configDirectory = CoturnConfigRenderer.ContainerConfigDirectory)
    {
        if (!options.Coturn.Enabled)
        {
            throw new InvalidOperationException("coturn.enabled is false: there is no coturn to start");
        }
        var secretsDirectory = options.Synapse.SecretsDirectory.TrimEnd('/');
        var configPath = $"{configDirectory.TrimEnd('/')}/{Path.GetFileName(CoturnConfigRenderer.ConfigPath)}";
        var secretPath = $"{secretsDirectory}/{SecretName.TurnSharedSecret}";

        var script = new LaunchScript("coturn")
            .RequireFile(configPath, "the configuration file")
            .ReadSecret("secret", secretPath, SecretName.TurnSharedSecret, SecretValueRule.CoturnValue)
            .PrivateTemporaryFile("config", "turnserver.conf")
            .Line($"cat {ShellQuoting.Quote(configPath)} > \"$config\"")
            // printf is a shell builtin: the value goes to the file without appearing in any process's arguments.
            .Line($"printf '{CoturnConfigRenderer.SharedSecretOption}=%s\\n' \"$secret\" >> \"$config\"")
            .Line("unset secret")
            // Extra arguments given after the script's name ($0) are passed on to turnserver.
            .Line($"exec {TurnServer} -c \"$config\" \"$@\"")
            .ToString();
        return new CoturnContainerCommand(script, configPath, secretsDirectory);
    }

    /// <summary>The entrypoint's arguments with extra turnserver options (no secrets: they are visible to every process).</summary>
    public IReadOnlyList<string> ArgumentsWith(params string[] turnServerOptions) => ["-c", Script, "coturn", .. turnServerOptions];
}
