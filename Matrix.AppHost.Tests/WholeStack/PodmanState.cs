using System.Diagnostics;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>What podman says about the stack's containers (<c>podman ps -a</c>, with each one's error), for failure reports.</summary>
public static class PodmanState
{
    /// <param name="containers">The containers' names (DCP names each container after its resource id).</param>
    public static async Task<string> DescribeAsync(IReadOnlyCollection<string> containers)
    {
        if (containers.Count == 0)
        {
            return "(no container of this stack was created)";
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string[] list = ["ps", "-a", "--format", "{{.Names}}\t{{.State}}\t{{.Status}}\t{{.Image}}", .. containers.SelectMany(name => new[] { "--filter", $"name=^{name}$" })];
        string[] errors = ["inspect", "--format", "{{.Name}}: {{.State.Status}} (exit code {{.State.ExitCode}}) {{.State.Error}}", .. containers];
        return $"{await RunAsync(list, timeout.Token)}{Environment.NewLine}{await RunAsync(errors, timeout.Token)}";
    }

    private static async Task<string> RunAsync(IEnumerable<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo("podman") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            return ((await output) + (await error)).TrimEnd();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return $"(podman {string.Join(' ', arguments)} could not run: {e.Message})";
        }
    }
}
