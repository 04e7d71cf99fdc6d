using Matrix.Tests.Infrastructure;
using System.Runtime.Versioning;
using Matrix.Stack.Catalog;
using Matrix.Stack.Model;
using Matrix.Stack.Presets;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;
using Matrix.Stack.Synapse;

namespace Matrix.Tests.Stack.Synapse;

/// <summary>
/// The generated entrypoint, run for real by /bin/sh in a temporary folder, with a fake <c>python</c> on PATH that
/// records its arguments. Synapse itself cannot run here; everything up to its exec is real.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SynapseContainerCommandTests : IDisposable
{
    private const string FakePython = """
        #!/bin/sh
        {
          printf 'cwd=%s\n' "$(pwd)"
          if [ -n "${AWS_ACCESS_KEY_ID:-}" ] && [ -n "${AWS_SECRET_ACCESS_KEY:-}" ]; then echo 'aws=set'; fi
          for a in "$@"; do printf '%s\n' "$a"; done
          echo '--end--'
        } >> "$FAKE_PYTHON_LOG"
        """;

    private readonly string _root;
    private readonly string _bin;
    private readonly string _log;

    public SynapseContainerCommandTests()
    {
        // A quote and a space in every path: the script must quote them.
        _root = Path.Combine(Directory.CreateTempSubdirectory("synapse-entrypoint-").FullName, "it's here");
        _bin = Path.Combine(_root, "bin");
        Directory.CreateDirectory(_bin);
        FakeExecutable.Write(Path.Combine(_bin, SynapseContainerCommand.Python), FakePython);
        _log = Path.Combine(_root, "python.log");
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_root)!, recursive: true);

    private StackOptions Options(string dataFolder = "data")
    {
        var options = StackPresets.Create(StackPresets.Specialized);
        options.Synapse.ConfigDirectory = Path.Combine(_root, "config");
        options.Synapse.SecretsDirectory = Path.Combine(_root, "secrets");
        options.Synapse.DataDirectory = Path.Combine(_root, dataFolder);
        options.Synapse.MediaStorePath = Path.Combine(_root, dataFolder, "media_store");
        return options;
    }

    private Dictionary<string, string> Environment(SynapseContainerCommand command, params string[] without)
    {
        var environment = new Dictionary<string, string>(command.Environment)
        {
            ["PATH"] = $"{_bin}:/usr/local/bin:/usr/bin:/bin",
            ["FAKE_PYTHON_LOG"] = _log,
        };
        foreach (var (variable, secret) in command.SecretEnvironment)
        {
            environment[variable] = SynapseTestSecrets.Values[secret];
        }
        foreach (var variable in without)
        {
            environment.Remove(variable);
        }
        return environment;
    }

    private Task<CleanShell.Result> Run(SynapseContainerCommand command, Dictionary<string, string> environment) =>
        CleanShell.RunAsync(command.Entrypoint, command.Arguments, environment, _root);

    /// <summary>Each python invocation: the lines it recorded (cwd, aws, then its arguments).</summary>
    private List<List<string>> Invocations()
    {
        if (!File.Exists(_log))
        {
            return [];
        }
        var invocations = new List<List<string>>();
        var current = new List<string>();
        foreach (var line in File.ReadAllLines(_log))
        {
            if (line == "--end--")
            {
                invocations.Add(current);
                current = [];
            }
            else
            {
                current.Add(line);
            }
        }
        return invocations;
    }

    private static List<string> Arguments(List<string> invocation) =>
        invocation.Where(l => !l.StartsWith("cwd=", StringComparison.Ordinal) && l != "aws=set").ToList();

    [Fact]
    public async Task MainWritesItsFilesAndSecretsAndExecsTheHomeserver()
    {
        var options = Options();
        var deployment = MatrixDeployment.Create(options);
        var files = StackRenderer.Render(options, SynapseTestSecrets.Secrets);
        var command = SynapseContainerCommand.For(deployment, deployment.Layout.Main);
        var paths = new SynapsePaths(options.Synapse);

        var result = await Run(command, Environment(command));
        Assert.True(result.ExitCode == 0, result.Error);

        Assert.Equal(files.Single(f => f.Path == SynapsePaths.RenderedHomeserver).Content, File.ReadAllText(paths.Homeserver));
        Assert.Equal(files.Single(f => f.Path == SynapsePaths.RenderedLogConfig).Content, File.ReadAllText(paths.LogConfig));
        // The signing key and Redis' password are secret files like the others (a deployment with workers uses Redis).
        Assert.Contains(SynapseSecrets.Files(deployment), s => s.SecretName == SecretName.SigningKey);
        Assert.Contains(SynapseSecrets.Files(deployment), s => s.SecretName == SecretName.RedisPassword);
        foreach (var secret in SynapseSecrets.Files(deployment))
        {
            var path = paths.Secret(secret.SecretName);
            // Byte for byte what `render` writes to secrets/<name>.
            Assert.Equal(files.Single(f => f.Path == $"{SecretFilesRenderer.Folder}/{secret.SecretName}").Content, File.ReadAllText(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        Assert.Equal(SynapseTestSecrets.Values[SecretName.SigningKey], File.ReadAllText(paths.SigningKey));
        // The password holds ':' and '\': the shell's escaping must give exactly the rendered pgpass.
        Assert.Equal(files.Single(f => f.Path == SynapsePaths.RenderedPgPass).Content, File.ReadAllText(paths.PgPass));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(paths.PgPass));

        // One run of Synapse, never a key generation.
        var only = Assert.Single(Invocations());
        Assert.Equal(["-m", "synapse.app.homeserver", "--config-path", paths.Homeserver, "--no-secrets-in-config"], Arguments(only));
        Assert.Equal(command.SynapseArguments, Arguments(only));
        Assert.Contains($"cwd={options.Synapse.DataDirectory}", only);
        Assert.Contains("aws=set", only);
    }

    [Fact]
    public async Task AWorkerWritesItsOwnFileAndMainsSigningKeyAndExecsTheGenericWorkerWithBothConfigs()
    {
        var options = Options(dataFolder: "worker-data");
        var deployment = MatrixDeployment.Create(options);
        var files = StackRenderer.Render(options, SynapseTestSecrets.Secrets);
        var paths = new SynapsePaths(options.Synapse);
        var worker = deployment.Layout.InstancesOf(PoolType.EventPersister)[0];
        var command = SynapseContainerCommand.For(deployment, worker);

        var result = await Run(command, Environment(command));
        Assert.True(result.ExitCode == 0, result.Error);

        Assert.Equal(files.Single(f => f.Path == SynapsePaths.RenderedWorker(worker.Name)).Content, File.ReadAllText(paths.Worker(worker.Name)));
        Assert.Equal(files.Single(f => f.Path == SynapsePaths.RenderedHomeserver).Content, File.ReadAllText(paths.Homeserver));
        var invocation = Assert.Single(Invocations());
        Assert.Equal(
            ["-m", "synapse.app.generic_worker", "--config-path", paths.Homeserver, "--config-path", paths.Worker(worker.Name), "--no-secrets-in-config"],
            Arguments(invocation));
        // The same key main signs with, from the same secret.
        Assert.Equal(SynapseTestSecrets.Values[SecretName.SigningKey], File.ReadAllText(paths.SigningKey));
        Assert.Equal(SynapseTestSecrets.Values[SecretName.RedisPassword], File.ReadAllText(paths.Secret(SecretName.RedisPassword)));
    }

    [Fact]
    public async Task WithoutTheSigningKeyNoProcessStartsAndNoneMakesAKeyOfItsOwn()
    {
        var options = Options();
        var deployment = MatrixDeployment.Create(options);
        var paths = new SynapsePaths(options.Synapse);
        var variable = StackSecrets.EnvironmentVariable(SecretName.SigningKey);

        foreach (var instance in new[] { deployment.Layout.Main, deployment.Layout.InstancesOf(PoolType.Synchrotron)[0] })
        {
            var command = SynapseContainerCommand.For(deployment, instance);
            Assert.Equal(SecretName.SigningKey, command.SecretEnvironment[variable]);

            var missing = await Run(command, Environment(command, without: variable));

            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains(variable, missing.Error);
            Assert.Empty(Invocations());
            Assert.False(File.Exists(paths.SigningKey));
        }
    }

    [Fact]
    public async Task AMissingSecretStopsTheContainerBeforeAnythingIsWrittenAndNoSecretIsPrinted()
    {
        var options = Options();
        var deployment = MatrixDeployment.Create(options);
        var command = SynapseContainerCommand.For(deployment, deployment.Layout.Main);
        var variable = StackSecrets.EnvironmentVariable(SecretName.FormSecret);
        Assert.Contains(variable, command.SecretEnvironment.Keys);

        var result = await Run(command, Environment(command, without: variable));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(variable, result.Error);
        Assert.False(Directory.Exists(options.Synapse.ConfigDirectory));
        Assert.False(Directory.Exists(options.Synapse.SecretsDirectory));
        Assert.Empty(Invocations());
        Assert.DoesNotContain(SynapseTestSecrets.Values.Values, value => (result.Output + result.Error).Contains(value, StringComparison.Ordinal));
    }

    [Fact]
    public void TheCommandNamesEverySecretItNeedsAndHoldsNone()
    {
        var options = Options();
        var deployment = MatrixDeployment.Create(options);
        var main = SynapseContainerCommand.For(deployment, deployment.Layout.Main);

        Assert.Equal(SynapseContainerCommand.Shell, main.Entrypoint);
        Assert.Equal(["-c", main.Script], main.Arguments);
        Assert.Equal(
            new SortedDictionary<string, string>
            {
                ["AWS_ACCESS_KEY_ID"] = SecretName.S3AccessKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = SecretName.S3SecretAccessKey,
                ["MATRIX_SECRET_FORM_SECRET"] = SecretName.FormSecret,
                ["MATRIX_SECRET_MACAROON_SECRET_KEY"] = SecretName.MacaroonSecretKey,
                ["MATRIX_SECRET_POSTGRES_PASSWORD"] = SecretName.PostgresPassword,
                ["MATRIX_SECRET_REDIS_PASSWORD"] = SecretName.RedisPassword,
                ["MATRIX_SECRET_REGISTRATION_SHARED_SECRET"] = SecretName.RegistrationSharedSecret,
                ["MATRIX_SECRET_SIGNING_KEY"] = SecretName.SigningKey,
                ["MATRIX_SECRET_TURN_SHARED_SECRET"] = SecretName.TurnSharedSecret,
                ["MATRIX_SECRET_WORKER_REPLICATION_SECRET"] = SecretName.WorkerReplicationSecret,
            },
            main.SecretEnvironment);
        Assert.Equal([SynapseContainerCommand.HomeserverConfigVariable, SynapseContainerCommand.LogConfigVariable], main.Environment.Keys);

        var worker = SynapseContainerCommand.For(deployment, deployment.Layout.Workers.First());
        Assert.Contains(SynapseContainerCommand.WorkerConfigVariable, worker.Environment.Keys);
        Assert.Equal(deployment.Layout.Instances.Count, SynapseContainerCommand.ForAll(deployment).Count);

        var monolith = StackPresets.Create(StackPresets.Monolith);
        monolith.S3.Enabled = false;
        monolith.Coturn.Enabled = false;
        var single = MatrixDeployment.Create(monolith);
        Assert.Equal(
            // A single process uses no Redis, so no Redis password.
            ["MATRIX_SECRET_FORM_SECRET", "MATRIX_SECRET_MACAROON_SECRET_KEY", "MATRIX_SECRET_POSTGRES_PASSWORD", "MATRIX_SECRET_REGISTRATION_SHARED_SECRET", "MATRIX_SECRET_SIGNING_KEY"],
            SynapseContainerCommand.For(single, single.Layout.Main).SecretEnvironment.Keys);
    }
}
