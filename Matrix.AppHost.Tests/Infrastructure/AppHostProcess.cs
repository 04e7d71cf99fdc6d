using Matrix.AppHost.Tests.Kubernetes;

namespace Matrix.AppHost.Tests.Infrastructure;

/// <summary>
/// The AppHost as an operator starts it: its own process (<c>dotnet Matrix.AppHost.dll ARGS</c>) with standard input
/// closed, for what only the process shows: its exit code and what it prints.
/// </summary>
public static class AppHostProcess
{
    public static Task<ExternalCommand.Result> RunAsync(params string[] arguments) =>
        ExternalCommand.RunAsync("dotnet", new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            [AppHostPaths.ProjectDll("Matrix.AppHost"), .. arguments]);

    /// <summary>Asserts the AppHost refused to start with one list of problems: exit code 1, no stack trace, each expected line.</summary>
    public static void AssertRefused(ExternalCommand.Result result, params string[] expected)
    {
        var shown = result.Output + result.Error;
        Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}, expected 1:\n{shown}");
        Assert.DoesNotContain("   at ", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", shown, StringComparison.Ordinal);
        foreach (var line in expected)
        {
            Assert.True(result.Error.Contains(line, StringComparison.Ordinal), $"'{line}' is not in what the AppHost printed:\n{shown}");
        }
    }
}
