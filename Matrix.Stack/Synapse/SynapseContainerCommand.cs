using System.Text;
using Matrix.Stack.Layout;
using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.Synapse;

/// <summary>
/// How a Synapse container starts, for hosts that cannot mount files (Aspire's Kubernetes publisher ignores
/// container files and bind mounts): a POSIX <c>sh</c> entrypoint that writes the configuration files (given
/// base64-encoded in environment variables) and the secret files (given in secret environment variables, the
/// signing key among them) to the paths homeserver.yaml names, then execs Synapse. Nothing is generated in the
/// container: every process gets the same signing key, the <c>signing_key</c> secret.
/// The command holds no secret value: <see cref="SecretEnvironment"/> only names which secret each variable carries.
/// </summary>
public sealed record SynapseContainerCommand
{
    public const string Shell = "/bin/sh";
    public const string Python = "python";
    public const string MainModule = "synapse.app.homeserver";
    public const string WorkerModule = "synapse.app.generic_worker";

    public const string HomeserverConfigVariable = "SYNAPSE_HOMESERVER_YAML_BASE64";
    public const string LogConfigVariable = "SYNAPSE_LOG_CONFIG_YAML_BASE64";
    public const string WorkerConfigVariable = "SYNAPSE_WORKER_YAML_BASE64";

    /// <summary>The process (<c>main</c>, <c>synchrotron-1</c>) this command starts.</summary>
    public required string InstanceName { get; init; }

    /// <summary>The container entrypoint: <see cref="Shell"/>.</summary>
    public required string Entrypoint { get; init; }

    /// <summary>The entrypoint's arguments: <c>-c</c> and <see cref="Script"/>.</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    public required string Script { get; init; }

    /// <summary>Plain environment variables (no secret in them), sorted by name.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Environment variables that must carry a secret: variable name to <see cref="SecretName"/>, sorted by variable.</summary>
    public required IReadOnlyDictionary<string, string> SecretEnvironment { get; init; }

    /// <summary>The arguments Synapse finally runs with, after <see cref="Python"/>.</summary>
    public required IReadOnlyList<string> SynapseArguments { get; init; }

    public static IReadOnlyList<SynapseContainerCommand> ForAll(MatrixDeployment deployment)
    {
        var files = SynapseConfigRenderer.ConfigFiles(deployment);
        return deployment.Layout.Instances.Select(instance => Create(deployment, instance, files)).ToList();
    }

    public static SynapseContainerCommand For(MatrixDeployment deployment, SynapseInstance instance) =>
        Create(deployment, instance, SynapseConfigRenderer.ConfigFiles(deployment));

    private static SynapseContainerCommand Create(MatrixDeployment deployment, SynapseInstance instance, IReadOnlyList<RenderedFile> configFiles)
    {
        if (!deployment.Layout.Instances.Contains(instance))
        {
            throw new ArgumentException($"'{instance.Name}' is not a process of this deployment", nameof(instance));
        }
        var options = deployment.Options;
        var paths = new SynapsePaths(options.Synapse);

        // Configuration files this process reads: (variable, rendered file, container path).
        var configs = new List<(string Variable, string Rendered, string Path)>
        {
            (HomeserverConfigVariable, SynapsePaths.RenderedHomeserver, paths.Homeserver),
            (LogConfigVariable, SynapsePaths.RenderedLogConfig, paths.LogConfig),
        };
        if (!instance.IsMain)
        {
            configs.Add((WorkerConfigVariable, SynapsePaths.RenderedWorker(instance.Name), paths.Worker(instance.Name)));
        }
        var environment = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (variable, rendered, _) in configs)
        {
            var file = configFiles.Single(f => f.Path == rendered);
            environment[variable] = Convert.ToBase64String(Encoding.UTF8.GetBytes(file.Content));
        }

        // Secret files (name, variable), then the environment-only secrets.
        var secretFiles = SynapseSecrets.Files(deployment)
            .Select(s => (s.SecretName, Variable: StackSecrets.EnvironmentVariable(s.SecretName)))
            .ToList();
        var passwordVariable = StackSecrets.EnvironmentVariable(SecretName.PostgresPassword);
        var secretEnvironment = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, variable) in secretFiles)
        {
            secretEnvironment[variable] = name;
        }
        secretEnvironment[passwordVariable] = SecretName.PostgresPassword;
        foreach (var (variable, name) in SynapseSecrets.Environment(options))
        {
            secretEnvironment[variable] = name;
        }

        List<string> synapseArguments = instance.IsMain
            ? ["-m", MainModule, "--config-path", paths.Homeserver]
            : ["-m", WorkerModule, "--config-path", paths.Homeserver, "--config-path", paths.Worker(instance.Name)];
        // Synapse itself refuses any secret written inline in its configuration.
        synapseArguments.Add("--no-secrets-in-config");

        var script = new StringBuilder();
        void Line(string line) => script.Append(line).Append('\n');
        string Q(string value) => ShellQuoting.Quote(value);

        Line("set -eu");
        Line("umask 077");
        // Check every input first: a missing one stops the container before anything is written.
        foreach (var variable in configs.Select(c => c.Variable).Concat(secretEnvironment.Keys))
        {
            Line($": \"${{{variable}:?is not set}}\"");
        }
        var directories = new[] { paths.ConfigDirectory, paths.WorkersDirectory, paths.SecretsDirectory, paths.DataDirectory }.Distinct();
        Line("mkdir -p " + string.Join(' ', directories.Select(Q)));
        foreach (var (variable, _, path) in configs)
        {
            Line($"printf '%s' \"${variable}\" | base64 -d > {Q(path)}");
        }
        foreach (var (name, variable) in secretFiles)
        {
            Line($"printf '%s' \"${variable}\" > {Q(paths.Secret(name))}");
        }
        // pgpass fields escape ':' and '\' with a backslash (PgPassFile); the password is escaped here, in the container.
        Line($"pgpass_password=$(printf '%s' \"${passwordVariable}\" | sed -e 's/\\\\/\\\\\\\\/g' -e 's/:/\\\\:/g')");
        Line($"printf '%s%s\\n' {Q(PgPassFile.Prefix(options.Database))} \"$pgpass_password\" > {Q(paths.PgPass)}");
        Line("unset pgpass_password");
        // Synapse would create a new key where signing_key_path points at nothing (since 1.67): a process signing
        // with a key of its own breaks federation, so a missing or empty key file stops the container instead.
        var signingKeyVariable = StackSecrets.EnvironmentVariable(SecretName.SigningKey);
        Line($"if [ ! -s {Q(paths.SigningKey)} ]; then echo {Q($"synapse {instance.Name}: the signing key file {paths.SigningKey} is missing or empty: give every process the '{SecretName.SigningKey}' secret in {signingKeyVariable}")} >&2; exit 1; fi");
        Line($"cd {Q(paths.DataDirectory)}");
        Line($"exec {Python} " + string.Join(' ', synapseArguments.Select(a => a.StartsWith('-') ? a : Q(a))));

        var text = script.ToString();
        return new SynapseContainerCommand
        {
            InstanceName = instance.Name,
            Entrypoint = Shell,
            Arguments = ["-c", text],
            Script = text,
            Environment = environment,
            SecretEnvironment = secretEnvironment,
            SynapseArguments = synapseArguments,
        };
    }
}
