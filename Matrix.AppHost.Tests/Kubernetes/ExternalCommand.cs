using System.Diagnostics;

namespace Matrix.AppHost.Tests.Kubernetes;

/// <summary>
/// Runs a real tool (node, kubectl, the AppHost) to completion and hands back its exit code and output. Standard input
/// is closed, as in a CI job: a tool that waits for input reads its end instead of hanging.
/// </summary>
public static class ExternalCommand
{
    public sealed record Result(int ExitCode, string Output, string Error);

    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    public static Task<Result> RunAsync(string fileName, params string[] arguments) => RunAsync(fileName, null, arguments);

    /// <summary>
    /// With <paramref name="environment"/> added to this process's environment (as a pod's variables are). A tool still
    /// running after the bound is killed with its children, and the test fails with what it wrote.
    /// </summary>
    public static async Task<Result> RunAsync(string fileName, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} still running after {Bound.TotalMinutes} minutes:{Environment.NewLine}{await output}{await error}");
        }
        return new Result(process.ExitCode, await output, await error);
    }
}
