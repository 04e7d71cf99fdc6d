using Matrix.AppHost.Secrets;
using Matrix.Stack.Presets;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Tests.Kubernetes;

/// <summary>
/// The real AppHost process publishes as a CI job would: standard input closed, no secret given. It must run to the
/// end, write the output, and neither ask for nor store a secret value (its HOME is a fresh folder, so whatever Aspire
/// keeps as deployment state lands there and is read back).
/// </summary>
public sealed class UnattendedPublishTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("matrix-unattended-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // A value given on the command line is not a reason to keep it: it must be stored nowhere either.
    private const string GivenSecret = "GivenOnTheCommandLine7f3c9a1e5b";

    [Theory]
    [InlineData("publish-kubernetes", false)]
    [InlineData("publish", true)]
    public async Task PublishNeedsNoSecretAndNoInputAndStoresNone(string step, bool giveASecret)
    {
        var output = Path.Combine(_root, "out");
        var home = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
        string[] secret = giveASecret ? [$"--Parameters:{MatrixSecrets.ParameterName(SecretName.RedisPassword)}={GivenSecret}"] : [];
        var result = await RunAppHostAsync(home,
            [$"--Matrix:Preset={StackPresets.Full}", "--Matrix:Settings:serverName=example.org", "--operation", "publish", "--step", step, "--output-path", output, .. secret]);

        Assert.True(result.ExitCode == 0, $"publish exited {result.ExitCode}:{Environment.NewLine}{result.Output}");
        Assert.True(File.Exists(Path.Combine(output, "kubernetes", "kustomization.yaml")), $"no kustomization written:{Environment.NewLine}{result.Output}");

        // What the publish left behind (Aspire's deployment state under HOME, the output) holds no secret value: the
        // state keeps the placeholder, never the value given.
        var state = Directory.GetFiles(home, "*", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
        Assert.Contains(state, text => text.Contains(MatrixSecretsExtensions.PublishedPlaceholder, StringComparison.Ordinal));
        foreach (var file in Directory.GetFiles(home, "*", SearchOption.AllDirectories).Concat(Directory.GetFiles(output, "*", SearchOption.AllDirectories)))
        {
            Assert.DoesNotContain(GivenSecret, File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PublishWithoutAServerNameIsRefusedNamingIt()
    {
        var output = Path.Combine(_root, "out");
        var home = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
        var result = await RunAppHostAsync(home,
            [$"--Matrix:Preset={StackPresets.Full}", "--operation", "publish", "--step", "publish-kubernetes", "--output-path", output]);

        Assert.True(result.ExitCode != 0, $"publish without a server name succeeded:{Environment.NewLine}{result.Output}");
        Assert.Contains($"{Matrix.AppHost.Kubernetes.PublishedServerName.SettingKey}: a published deployment needs its server name", result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(output, "kubernetes")), "a refused publish wrote output");
    }

    // HOME is the fresh folder Aspire's deployment state lands in.
    private static async Task<(int ExitCode, string Output)> RunAppHostAsync(string home, string[] arguments)
    {
        var result = await ExternalCommand.RunAsync("dotnet",
            new Dictionary<string, string> { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home }, [AppHostAssembly(), .. arguments]);
        return (result.ExitCode, result.Output + result.Error);
    }

    private static string AppHostAssembly() => Infrastructure.AppHostPaths.ProjectDll("Matrix.AppHost");
}
