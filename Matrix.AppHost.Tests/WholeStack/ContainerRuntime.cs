using System.Diagnostics;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>Whether a container runtime answers here (Docker or Podman); whole-stack tests skip, saying so, without one.</summary>
public static class ContainerRuntime
{
    private static readonly Lazy<string?> Available = new(Detect);

    public static void SkipUnlessAvailable() =>
        Assert.SkipWhen(Available.Value is null, "no container runtime (docker or podman) answers on this machine: the whole stack cannot run here.");

    private static string? Detect()
    {
        foreach (var runtime in new[] { "docker", "podman" })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(runtime, "info")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                });
                if (process is null)
                {
                    continue;
                }
                process.StandardOutput.ReadToEnd();
                process.StandardError.ReadToEnd();
                if (process.WaitForExit(30_000) && process.ExitCode == 0)
                {
                    return runtime;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed.
            }
        }
        return null;
    }
}
