using Matrix.Tests.Infrastructure;
using System.Runtime.Versioning;
using Matrix.Stack.Coturn;
using Matrix.Stack.Model;
using Matrix.Stack.Presets;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;
using Matrix.Tests.Stack.Synapse;

namespace Matrix.Tests.Stack.Components;

/// <summary>
/// coturn's launch script, run for real by /bin/sh in a temporary folder laid out like the container (config folder,
/// secrets folder, TMPDIR), with a fake <c>turnserver</c> on PATH that records its arguments and the configuration it
/// was given. The real coturn runs the same script in <see cref="Turn.CoturnAllocationTests"/>.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class CoturnContainerCommandTests : IDisposable
{
    private const string FakeTurnServer = """
        #!/bin/sh
        for a in "$@"; do printf '%s\n' "$a"; done > "$FAKE_LOG"
        # The file after -c: its content, and its mode and folder.
        config=""
        previous=""
        for a in "$@"; do
          if [ "$previous" = "-c" ]; then config="$a"; fi
          previous="$a"
        done
        cp "$config" "$FAKE_CONFIG_COPY"
        stat -c '%a' "$config" > "$FAKE_CONFIG_MODE"
        """;

    // Characters coturn keeps ('#', '=', '/', '+', '\', quotes of the other kind) and that a careless shell would expand.
    private const string SharedSecret = @"kX9#q=Tz/7+vW3$HOME`id`'r\Y8bN2";

    private readonly string _root;
    private readonly string _bin;
    private readonly string _tmp;

    public CoturnContainerCommandTests()
    {
        // A quote and a space in every path: the script must quote them.
        _root = Path.Combine(Directory.CreateTempSubdirectory("coturn-launch-").FullName, "it's here");
        _bin = Path.Combine(_root, "bin");
        _tmp = Path.Combine(_root, "tmp");
        Directory.CreateDirectory(_bin);
        Directory.CreateDirectory(_tmp);
        FakeExecutable.Write(Path.Combine(_bin, CoturnContainerCommand.TurnServer), FakeTurnServer);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_root)!, recursive: true);

    private string Log => Path.Combine(_root, "argv");

    private string ConfigCopy => Path.Combine(_root, "config-copy");

    private string ConfigMode => Path.Combine(_root, "config-mode");

    private StackOptions Options()
    {
        var options = StackPresets.Create(StackPresets.Monolith);
        options.Synapse.SecretsDirectory = Path.Combine(_root, "secrets");
        return options;
    }

    /// <summary>The launch script's inputs as a host delivers them: the secret-free config, the one-value secret file.</summary>
    private CoturnContainerCommand Deliver(StackOptions options, string? secretFileContent)
    {
        var command = CoturnContainerCommand.For(options, Path.Combine(_root, "etc", "coturn"));
        var config = StackRenderer.RenderConfiguration(options).Single(f => f.Path == CoturnConfigRenderer.ConfigPath);
        Directory.CreateDirectory(Path.GetDirectoryName(command.ConfigPath)!);
        File.WriteAllText(command.ConfigPath, config.Content);
        Directory.CreateDirectory(command.SecretsDirectory);
        if (secretFileContent is not null)
        {
            File.WriteAllText(Path.Combine(command.SecretsDirectory, SecretName.TurnSharedSecret), secretFileContent);
        }
        return command;
    }

    private Task<CleanShell.Result> Run(CoturnContainerCommand command, IReadOnlyList<string> arguments) =>
        CleanShell.RunAsync(command.Entrypoint, arguments, new Dictionary<string, string>
        {
            ["PATH"] = $"{_bin}:/usr/local/bin:/usr/bin:/bin",
            ["TMPDIR"] = _tmp,
            ["FAKE_LOG"] = Log,
            ["FAKE_CONFIG_COPY"] = ConfigCopy,
            ["FAKE_CONFIG_MODE"] = ConfigMode,
        }, _root);

    private static StackSecrets Secrets(string sharedSecret) =>
        new(SecretName.All.ToDictionary(name => name, name => name == SecretName.TurnSharedSecret ? sharedSecret : name == SecretName.SigningKey ? TestSigningKey.Value : $"test-{name}"));

    [Fact]
    public async Task TurnserverGetsExactlyTheCompleteFileInAPrivateTemporaryFileAndTheSecretNowhereElse()
    {
        var options = Options();
        var command = Deliver(options, SharedSecret);

        var result = await Run(command, command.ArgumentsWith("--pidfile", "/tmp/x.pid"));

        Assert.True(result.ExitCode == 0, result.Error);
        // Byte for byte the file `render` writes for one host.
        var complete = StackRenderer.Render(options, Secrets(SharedSecret)).Single(f => f.Path == CoturnConfigRenderer.ConfigPath);
        Assert.Equal(complete.Content, File.ReadAllText(ConfigCopy));
        var arguments = File.ReadAllLines(Log);
        Assert.Equal(4, arguments.Length);
        Assert.Equal("-c", arguments[0]);
        Assert.Equal(_tmp, Path.GetDirectoryName(arguments[1]));
        Assert.Equal(["--pidfile", "/tmp/x.pid"], arguments[2..]);
        Assert.Equal("600", File.ReadAllText(ConfigMode).Trim());
        // Never on a command line, never printed, never in the delivered config or the script.
        Assert.DoesNotContain(SharedSecret, string.Join('\n', arguments));
        Assert.DoesNotContain(SharedSecret, result.Output + result.Error);
        Assert.DoesNotContain(SharedSecret, File.ReadAllText(command.ConfigPath));
        Assert.DoesNotContain(SharedSecret, command.Script);
        Assert.Equal(["-c", command.Script], command.Arguments);
    }

    [Fact]
    public async Task ALineBreakAtTheEndOfTheSecretFileIsNotPartOfTheSecret()
    {
        var options = Options();
        var command = Deliver(options, "plain-secret-value\n\n");

        var result = await Run(command, command.Arguments);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.EndsWith("\nlog-file=stdout\nstatic-auth-secret=plain-secret-value\n", File.ReadAllText(ConfigCopy));
    }

    [Theory]
    [InlineData("secret\nno-auth", "line breaks")]
    [InlineData("with space", "blanks")]
    [InlineData("tab\tinside", "blanks")]
    [InlineData("\"quoted\"", "'\"'")]
    [InlineData("unicodé-secret", "printable ASCII")]
    [InlineData("", "is empty")]
    [InlineData("\n", "is empty")]
    public async Task ASecretCoturnWouldMisreadStopsTheContainerNamingItButNeverShowingIt(string secret, string reason)
    {
        var command = Deliver(Options(), secret);

        var result = await Run(command, command.Arguments);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"'{SecretName.TurnSharedSecret}'", result.Error);
        Assert.Contains(reason, result.Error);
        Assert.False(File.Exists(Log), "turnserver must not start");
        if (secret.Trim().Length > 0)
        {
            Assert.DoesNotContain(secret.Trim(), result.Output + result.Error);
        }
        // The C# rule used at render time agrees.
        Assert.NotNull(CoturnConfigRenderer.ProblemWithSharedSecret(secret.TrimEnd('\n')));
    }

    [Fact]
    public async Task ASecretLongerThanCoturnReadsStopsTheContainer()
    {
        var tooLong = new string('k', 257);
        var command = Deliver(Options(), tooLong);

        var result = await Run(command, command.Arguments);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("longer than 256", result.Error);
        Assert.False(File.Exists(Log));
        Assert.NotNull(CoturnConfigRenderer.ProblemWithSharedSecret(tooLong));
        Assert.Null(CoturnConfigRenderer.ProblemWithSharedSecret(tooLong[..256]));
    }

    [Fact]
    public async Task AMissingSecretFileOrConfigFileStopsTheContainerNamingIt()
    {
        var withoutSecret = Deliver(Options(), secretFileContent: null);
        var missingSecret = await Run(withoutSecret, withoutSecret.Arguments);

        Assert.NotEqual(0, missingSecret.ExitCode);
        Assert.Contains(Path.Combine(withoutSecret.SecretsDirectory, SecretName.TurnSharedSecret), missingSecret.Error);
        Assert.False(File.Exists(Log));

        var withoutConfig = Deliver(Options(), SharedSecret);
        File.Delete(withoutConfig.ConfigPath);
        var missingConfig = await Run(withoutConfig, withoutConfig.Arguments);

        Assert.NotEqual(0, missingConfig.ExitCode);
        Assert.Contains(withoutConfig.ConfigPath, missingConfig.Error);
        Assert.False(File.Exists(Log));
        Assert.Empty(Directory.GetFiles(_tmp));
    }

    [Fact]
    public void TheCommandReadsOnlyTheTurnSecretFromTheSharedSecretsFolder()
    {
        var options = StackPresets.Create(StackPresets.Monolith);

        var command = CoturnContainerCommand.For(options);

        Assert.Equal("/bin/sh", command.Entrypoint);
        Assert.Equal("/etc/coturn/turnserver.conf", command.ConfigPath);
        Assert.Equal(options.Synapse.SecretsDirectory, command.SecretsDirectory);
        Assert.Equal([SecretName.TurnSharedSecret], command.SecretFiles);
        options.Coturn.Enabled = false;
        Assert.Throws<InvalidOperationException>(() => CoturnContainerCommand.For(options));
    }
}
