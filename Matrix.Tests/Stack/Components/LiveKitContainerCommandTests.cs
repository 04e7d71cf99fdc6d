using Matrix.Tests.Infrastructure;
using System.Runtime.Versioning;
using Matrix.Stack.LiveKit;
using Matrix.Stack.Model;
using Matrix.Stack.Presets;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;
using Matrix.Tests.Stack.Synapse;
using YamlDotNet.RepresentationModel;

namespace Matrix.Tests.Stack.Components;

/// <summary>
/// LiveKit's launch script, run for real in a temporary folder laid out like the container, with a fake
/// <c>livekit-server</c> that records its arguments, the Redis password it was given in its environment, and the key
/// file it was pointed at. LiveKit itself is not installed here; everything up to its exec is real. The official image
/// is Alpine (BusyBox sh), so the script runs under both dash (/bin/sh here) and bash, and uses only POSIX features.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class LiveKitContainerCommandTests : IDisposable
{
    private const string FakeServer = """
        #!/bin/sh
        for a in "$@"; do printf '%s\n' "$a"; done > "$FAKE_LOG"
        printf '%s' "${REDIS_PASSWORD-unset}" > "$FAKE_REDIS_PASSWORD"
        keys=""
        previous=""
        for a in "$@"; do
          if [ "$previous" = "--key-file" ]; then keys="$a"; fi
          previous="$a"
        done
        cp "$keys" "$FAKE_KEYS_COPY"
        stat -c '%a' "$keys" "$(dirname "$keys")" > "$FAKE_KEYS_MODE"
        """;

    // Characters YAML and the shell treat specially: quotes, backslash, ':', '#', '$', backquotes.
    private const string ApiKey = "APIk3y:#\"q\\";
    private const string ApiSecret = @"s3cr'et""\\$HOME`id`-#:{x}-Qm8vN2";
    private const string RedisPassword = "redis pass with spaces $HOME";

    public static TheoryData<string> Shells => new("/bin/sh", "/bin/bash");

    private readonly string _root;
    private readonly string _server;
    private readonly string _tmp;

    public LiveKitContainerCommandTests()
    {
        // A quote and a space in every path: the script must quote them.
        _root = Path.Combine(Directory.CreateTempSubdirectory("livekit-launch-").FullName, "it's here");
        _tmp = Path.Combine(_root, "tmp");
        Directory.CreateDirectory(_tmp);
        _server = FakeExecutable.Write(Path.Combine(_root, "livekit-server"), FakeServer);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_root)!, recursive: true);

    private string Log => Path.Combine(_root, "argv");

    private string GivenRedisPassword => Path.Combine(_root, "redis-password");

    private string KeysCopy => Path.Combine(_root, "keys-copy");

    private string KeysMode => Path.Combine(_root, "keys-mode");

    private StackOptions Options()
    {
        var options = StackPresets.Create(StackPresets.Monolith);
        options.Synapse.SecretsDirectory = Path.Combine(_root, "secrets");
        return options;
    }

    /// <summary>The script's inputs as a host delivers them: config.yaml and one file per secret (null: no file).</summary>
    private LiveKitContainerCommand Deliver(StackOptions options, string? apiKey = ApiKey, string? apiSecret = ApiSecret, string? redisPassword = RedisPassword)
    {
        var command = LiveKitContainerCommand.For(options, Path.Combine(_root, "etc", "livekit"), _server);
        var config = StackRenderer.RenderConfiguration(options).Single(f => f.Path == LiveKitConfigRenderer.ConfigPath);
        Directory.CreateDirectory(Path.GetDirectoryName(command.ConfigPath)!);
        File.WriteAllText(command.ConfigPath, config.Content);
        if (Directory.Exists(command.SecretsDirectory))
        {
            Directory.Delete(command.SecretsDirectory, recursive: true);
        }
        Directory.CreateDirectory(command.SecretsDirectory);
        foreach (var (name, value) in new[] { (SecretName.LiveKitApiKey, apiKey), (SecretName.LiveKitApiSecret, apiSecret), (SecretName.LiveKitRedisPassword, redisPassword) })
        {
            if (value is not null)
            {
                File.WriteAllText(Path.Combine(command.SecretsDirectory, name), value);
            }
        }
        return command;
    }

    private Task<CleanShell.Result> Run(string shell, LiveKitContainerCommand command) =>
        CleanShell.RunAsync(shell, command.Arguments, new Dictionary<string, string>
        {
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["TMPDIR"] = _tmp,
            ["FAKE_LOG"] = Log,
            ["FAKE_REDIS_PASSWORD"] = GivenRedisPassword,
            ["FAKE_KEYS_COPY"] = KeysCopy,
            ["FAKE_KEYS_MODE"] = KeysMode,
        }, _root);

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task LiveKitGetsItsConfigAPrivateKeyFileFromBothSecretsAndItsRedisPasswordInItsOwnVariable(string shell)
    {
        var options = Options();
        var command = Deliver(options);

        var result = await Run(shell, command);

        Assert.True(result.ExitCode == 0, result.Error);
        var arguments = File.ReadAllLines(Log);
        Assert.Equal(["--config", command.ConfigPath, "--key-file"], arguments[..3]);
        var keyFile = arguments[3];
        Assert.Equal(4, arguments.Length);
        Assert.Equal(_tmp, Path.GetDirectoryName(Path.GetDirectoryName(keyFile)));
        Assert.Equal(LiveKitContainerCommand.KeyFileName, Path.GetFileName(keyFile));
        // LiveKit refuses a key file others can read; the folder is private too.
        Assert.Equal(["600", "700"], File.ReadAllLines(KeysMode));

        // The key file as LiveKit's YAML reader sees it: exactly the pair, whatever characters it holds.
        var pair = Assert.Single(ReadYaml(File.ReadAllText(KeysCopy)).Children);
        Assert.Equal(ApiKey, ((YamlScalarNode)pair.Key).Value);
        Assert.Equal(ApiSecret, ((YamlScalarNode)pair.Value).Value);
        // ... and the same file `render` writes for one host.
        var secrets = new StackSecrets(SecretName.All.ToDictionary(n => n, n => n switch
        {
            SecretName.LiveKitApiKey => ApiKey,
            SecretName.LiveKitApiSecret => ApiSecret,
            SecretName.SigningKey => TestSigningKey.Value,
            _ => $"test-{n}",
        }));
        Assert.Equal(StackRenderer.Render(options, secrets).Single(f => f.Path == LiveKitConfigRenderer.KeysPath).Content, File.ReadAllText(KeysCopy));

        Assert.Equal(RedisPassword, File.ReadAllText(GivenRedisPassword));
        // No secret on the command line or in the output.
        foreach (var secret in new[] { ApiKey, ApiSecret, RedisPassword })
        {
            Assert.DoesNotContain(secret, string.Join('\n', arguments));
            Assert.DoesNotContain(secret, result.Output + result.Error);
            Assert.DoesNotContain(secret, command.Script);
        }
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task AMissingOrUnusableSecretStopsTheContainerNamingItButNeverShowingIt(string shell)
    {
        var cases = new (string Secret, Func<LiveKitContainerCommand> Deliver, string Reason, string? Value)[]
        {
            (SecretName.LiveKitApiKey, () => Deliver(Options(), apiKey: null), "missing", null),
            (SecretName.LiveKitApiSecret, () => Deliver(Options(), apiSecret: "two\nlines"), "printable ASCII", "two"),
            (SecretName.LiveKitApiSecret, () => Deliver(Options(), apiSecret: "with space-secret"), "without blanks", "with space-secret"),
            (SecretName.LiveKitApiKey, () => Deliver(Options(), apiKey: "\n"), "is empty", null),
            (SecretName.LiveKitRedisPassword, () => Deliver(Options(), redisPassword: null), "missing", null),
            (SecretName.LiveKitRedisPassword, () => Deliver(Options(), redisPassword: ""), "is empty", null),
        };
        foreach (var (secret, deliver, reason, value) in cases)
        {
            File.Delete(Log);
            var command = deliver();

            var result = await Run(shell, command);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains($"'{secret}'", result.Error);
            Assert.Contains(reason, result.Error);
            Assert.False(File.Exists(Log), $"livekit-server must not start ({secret}: {reason})");
            if (value is not null)
            {
                Assert.DoesNotContain(value, result.Output + result.Error);
            }
        }
    }

    [Fact]
    public void TheCommandReadsItsThreeSecretsFromTheSharedSecretsFolder()
    {
        var options = StackPresets.Create(StackPresets.Monolith);

        var command = LiveKitContainerCommand.For(options);

        Assert.Equal("/bin/sh", command.Entrypoint);
        Assert.Equal(["-c", command.Script], command.Arguments);
        Assert.Equal("/etc/livekit/config.yaml", command.ConfigPath);
        Assert.Equal(options.Synapse.SecretsDirectory, command.SecretsDirectory);
        Assert.Equal([SecretName.LiveKitApiKey, SecretName.LiveKitApiSecret, SecretName.LiveKitRedisPassword], command.SecretFiles);
        Assert.Contains("exec '/livekit-server' --config '/etc/livekit/config.yaml' --key-file", command.Script);
        options.LiveKit.Enabled = false;
        Assert.Throws<InvalidOperationException>(() => LiveKitContainerCommand.For(options));
    }

    private static YamlMappingNode ReadYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
    }
}
