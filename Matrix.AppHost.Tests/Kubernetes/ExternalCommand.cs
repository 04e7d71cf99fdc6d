using System.Diagnostics;

namespace Matrix.AppHost.Tests.Kubernetes;

/// <summary>Runs a real tool (node, kubectl) to completion and hands back its exit code and output.</summary>
public static class ExternalCommand
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    public static Task<Result> RunAsync(string fileName, params string[] arguments) => RunAsync(fileName, null, arguments);

    /// <summary>With <paramref name="environment"/> added to this process's environment (as a pod's variables are).</summary>
    public static async Task<Result> RunAsync(string fileName, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}
