using System.Diagnostics;
using System.Reflection;
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

    private sealed record Result(int ExitCode, string Output);

    private static async Task<Result> RunAppHostAsync(string home, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(AppHostAssembly());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["HOME"] = home;
        start.Environment["DOTNET_CLI_HOME"] = home;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("the AppHost did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        // A publish that waits for input never ends by itself: the bound turns that hang into a failure with its output.
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"publish still running after 5 minutes with standard input closed:{Environment.NewLine}{await output}{await error}");
        }
        return new Result(process.ExitCode, await output + await error);
    }

    private static string AppHostAssembly() => Infrastructure.AppHostPaths.ProjectDll("Matrix.AppHost");
}
