using Matrix.Stack.Cli;
using Matrix.Stack.Presets;
using Matrix.Stack.Secrets;
using Matrix.Stack.Settings;
using Matrix.Stack.Validation;

namespace Matrix.Tests.Stack;

/// <summary>Issue 12's "operator's first hour": each defect a new user met, through the real command line.</summary>
public sealed class OperatorFirstHourTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("matrix-operator-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static (int Code, string Output, string Error) Run(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = StackCommandLine.Run(args, new CliConsole(new StringReader(input), output, error));
        return (code, output.ToString(), error.ToString());
    }

    private string Secrets(string preset)
    {
        var path = Path.Combine(_root, $"secrets-{preset}.yaml");
        if (!File.Exists(path))
        {
            Assert.Equal(0, Run("", "generate-secrets", "--preset", preset, "--out", path).Code);
        }
        return path;
    }

    private static IReadOnlyList<ValidationProblem> Validate(params string[] assignments)
    {
        var options = StackPresets.Create("specialized");
        Assert.Empty(StackSettings.Apply(options, assignments.Select(a => StackSettings.ParseAssignment(a)!.Value)));
        return StackValidator.Validate(options, StackSecretsFixture.All());
    }

    [Fact]
    public void RenderingASmallerLayoutIntoTheSameFolderRemovesWhatItWroteBeforeAndNothingElse()
    {
        var folder = Path.Combine(_root, "out");
        Assert.Equal(0, Run("", "render", "--preset", "large", "--set", "serverName=example.org", "--secrets", Secrets("large"), "--out", folder).Code);
        var mine = Path.Combine(folder, "synapse", "workers", "notes.txt");
        File.WriteAllText(mine, "the operator's own file");

        var second = Run("", "render", "--preset", "monolith", "--set", "serverName=example.org", "--secrets", Secrets("large"), "--out", folder);

        Assert.True(second.Code == 0, second.Error);
        var expected = Matrix.Stack.Rendering.StackRenderer.Render(StackPresetsWith("monolith"), LoadSecrets(Secrets("large"))).Select(f => f.Path)
            .Append(Matrix.Stack.Routing.RouterEnvironmentFile.Path).Append(".matrix-stack-rendered").Append("synapse/workers/notes.txt")
            .Order(StringComparer.Ordinal);
        var actual = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
        Assert.Equal("the operator's own file", File.ReadAllText(mine));
    }

    private static Matrix.Stack.Model.StackOptions StackPresetsWith(string preset)
    {
        var options = StackPresets.Create(preset);
        options.ServerName = "example.org";
        return options;
    }

    private static StackSecrets LoadSecrets(string path) => new(SettingsFile.Read(path).ToDictionary(p => p.Key, p => p.Value));

    [Fact]
    public void RenderRefusesAFolderItDidNotWrite()
    {
        var folder = Path.Combine(_root, "theirs");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "keep.txt"), "x");

        var (code, _, error) = Run("", "render", "--preset", "monolith", "--secrets", Secrets("monolith"), "--out", folder);

        Assert.Equal(ExitCodes.Problems, code);
        Assert.Contains("not empty", error);
        Assert.Equal(["keep.txt"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void AWorkerPortBaseThatPushesPortsPast65535IsAProblem()
    {
        var problem = Assert.Single(Validate("synapse.instanceHost=127.0.0.1", "synapse.workerPortBase=65530"));
        Assert.Equal("synapse.workerPortBase", problem.Setting);
        Assert.Contains("65535", problem.Message);
    }

    [Fact]
    public void APortForAProcessTheLayoutDoesNotHaveIsAProblem()
    {
        var problem = Assert.Single(Validate("ports.synchrotron-9.http=9100"));
        Assert.Equal("ports.synchrotron-9.http", problem.Setting);
        Assert.Contains("synchrotron-1", problem.Message);
    }

    [Fact]
    public void AnS3EndpointInAnotherRegionThanRegionNameIsAProblem()
    {
        var problem = Assert.Single(Validate("s3.endpoint=https://s3.eu-west-1.amazonaws.com", "s3.region=us-east-1"));
        Assert.Equal("s3.region", problem.Setting);
        Assert.Contains("eu-west-1", problem.Message);
        Assert.Empty(Validate("s3.endpoint=https://s3.eu-west-1.amazonaws.com", "s3.region=eu-west-1"));
        Assert.Empty(Validate("s3.endpoint=https://minio.example.org", "s3.region=anything-1"));
    }

    [Fact]
    public void AMalformedSigningKeyIsAProblemThatDoesNotShowIt()
    {
        var values = SecretName.All.ToDictionary(n => n, n => n == SecretName.SigningKey ? "ed25519 a_1 tooShort" : "value");
        var problem = Assert.Single(StackValidator.Validate(StackPresets.Create("specialized"), new StackSecrets(values)));
        Assert.Equal("secrets.signing_key", problem.Setting);
        Assert.DoesNotContain("tooShort", problem.ToString());
    }

    [Fact]
    public void RenderWithoutAServerNameWarnsLoudly()
    {
        var (code, _, error) = Run("", "render", "--preset", "monolith", "--secrets", Secrets("monolith"), "--out", Path.Combine(_root, "noname"));
        Assert.Equal(0, code);
        Assert.Contains("warning: serverName is not set", error);
    }

    [Fact]
    public void BadOutputPathsAreOneLineErrorsNotCrashes()
    {
        var missingFolder = Run("", "generate-secrets", "--preset", "monolith", "--out", "/nonexistent-dir/x.yaml");
        Assert.Equal(ExitCodes.Problems, missingFolder.Code);
        Assert.Contains("/nonexistent-dir", missingFolder.Error);
        Assert.DoesNotContain("   at ", missingFolder.Error);

        var file = Path.Combine(_root, "a-file");
        File.WriteAllText(file, "");
        var onAFile = Run("", "render", "--preset", "monolith", "--secrets", Secrets("monolith"), "--out", file);
        Assert.Equal(ExitCodes.Problems, onAFile.Code);
        Assert.Contains("is a file", onAFile.Error);
    }

    [Fact]
    public void GenerateSecretsToDashWritesStandardOutputAndNoFile()
    {
        var (code, output, _) = Run("", "generate-secrets", "--preset", "monolith", "--out", "-");
        Assert.Equal(0, code);
        Assert.Matches("signing_key: \"ed25519 a_[A-Za-z0-9]{4} [A-Za-z0-9+/]{43}\"", output);
        Assert.False(File.Exists("-"));
    }

    [Fact]
    public void RenderNoSecretsWritesConfigurationWithoutAnySecretFile()
    {
        var folder = Path.Combine(_root, "config-only");
        var (code, _, error) = Run("", "render", "--preset", "specialized", "--set", "serverName=example.org", "--no-secrets", "--out", folder);
        Assert.True(code == 0, error);
        Assert.True(File.Exists(Path.Combine(folder, "synapse", "homeserver.yaml")));
        Assert.False(Directory.Exists(Path.Combine(folder, "secrets")));
    }

    [Fact]
    public void TheSecretsFileTheReadmeCreatesIsIgnoredByGit()
    {
        var ignore = File.ReadAllLines(Path.Combine(Infrastructure.RepositoryPaths.Root, ".gitignore"));
        Assert.Contains(ignore, line => line.Trim() is "secrets.yaml" or "/secrets.yaml");
    }

    [Fact]
    public void RenderWritesTheRoutersEnvironmentWithEveryProcessThatServesRequests()
    {
        var folder = Path.Combine(_root, "router");
        Assert.Equal(0, Run("", "render", "--preset", "specialized", "--set", "serverName=example.org", "--set", "workers.synchrotron=3", "--no-secrets", "--out", folder).Code);
        var lines = File.ReadAllLines(Path.Combine(folder, "router", "router.env")).Where(l => !l.StartsWith('#')).ToList();
        var layout = Matrix.Stack.Layout.SynapseLayout.Create(Configured("specialized", "workers.synchrotron=3"));
        foreach (var instance in layout.Instances)
        {
            var entry = $"Router__Pools__{instance.Pool.Name.Replace('-', '_')}__{instance.Name.Replace('-', '_')}=http://synapse-{instance.Name}:{instance.HttpPort}";
            // A process that serves no requests (background, federation sender...) is no pool of the router's: it would refuse it.
            Assert.Equal(instance.Pool.ServesRequests, lines.Contains(entry));
        }
        Assert.Contains("Router__Pools__synchrotron__synchrotron_3=http://synapse-synchrotron-3:8008", lines);
        Assert.Contains(layout.Instances, i => !i.Pool.ServesRequests);
        // Whether the router starts with this file is Matrix.AppHost.Tests' RouterEnvironmentTests.
    }

    private static Matrix.Stack.Model.StackOptions Configured(string preset, params string[] assignments)
    {
        var options = StackPresets.Create(preset);
        StackSettings.Apply(options, assignments.Select(a => StackSettings.ParseAssignment(a)!.Value));
        return options;
    }

    [Fact]
    public void ExplainReadsNginxAndHaproxyLogsAndSummarisesPerPool()
    {
        var log = string.Join('\n',
            "203.0.113.7 - - [10/Oct/2025:13:55:36 +0000] \"GET /_matrix/client/v3/sync?since=s1 HTTP/1.1\" 200 2326 \"-\" \"Element\"",
            "haproxy[14389]: 10.0.1.2:33317 [06/Feb/2025:12:14:14.655] http-in synapse/main 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 \"GET /_matrix/client/v3/sync?since=s2 HTTP/1.1\"",
            "203.0.113.7 - - [10/Oct/2025:13:55:37 +0000] \"PUT /_matrix/federation/v1/send/1 HTTP/2.0\" 200 2 \"-\" \"Synapse\"");
        var (code, output, error) = Run(log, "explain", "--preset", "full", "-");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("{\"pool\":\"synchrotron\"", lines[0]);
        Assert.StartsWith("{\"pool\":\"synchrotron\"", lines[1]);
        Assert.StartsWith("{\"pool\":\"federation-inbound\"", lines[2]);
        Assert.Contains("summary: 3 request(s), 0 unreadable line(s)", error);
        Assert.Matches(@"synchrotron\s+2", error);
        Assert.Matches(@"federation-inbound\s+1", error);
    }
}
