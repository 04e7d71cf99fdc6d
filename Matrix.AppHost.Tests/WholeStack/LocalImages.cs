using System.Diagnostics;
using Matrix.AppHost.Tests.Infrastructure;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// The images the whole-stack tests run: built here from Debian packages by <c>tests/images/build.sh</c> (no registry is
/// reachable), honouring the contracts of the images the AppHost pins. The model itself runs unchanged; only the image
/// references and the pull policy are configured.
/// </summary>
public static class LocalImages
{
    public static readonly IReadOnlyDictionary<string, string> ByComponent = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ContainerImages.Component.Synapse] = "localhost/matrix-test/synapse:1.160",
        [ContainerImages.Component.Postgres] = "localhost/matrix-test/postgres:18",
        [ContainerImages.Component.Redis] = "localhost/matrix-test/redis:8",
        [ContainerImages.Component.Coturn] = "localhost/matrix-test/coturn:4.6",
    };

    /// <summary>The AppHost arguments that select them, never pulled.</summary>
    public static IEnumerable<string> Arguments() =>
        ByComponent.Select(image => $"--{ContainerImages.Section}:{image.Key}={image.Value}")
            .Append($"--{ContainerImages.PullPolicyKey}=Never");

    /// <summary>
    /// Outside CI, skips naming what is missing (podman, or images: building them takes minutes, so the developer runs
    /// tests/images/build.sh); in CI, where .ci/run has built them, builds any that are missing and fails if it cannot.
    /// </summary>
    /// <returns>Why the whole stack cannot run here (see <see cref="WholeStackRequirement"/>), or null.</returns>
    public static async Task<string?> EnsureBuiltAsync(CancellationToken ct)
    {
        if (WholeStackRequirement.Check(await RunAsync("podman", "info", ct) == 0 ? null
            : "podman does not answer (.ci/run installs podman, runc and the DNS plugin)") is { } noPodman)
        {
            return noPodman;
        }
        var missing = new List<string>();
        foreach (var image in ByComponent.Values)
        {
            if (await RunAsync("podman", $"image exists {image}", ct) != 0)
            {
                missing.Add(image);
            }
        }
        if (missing.Count == 0)
        {
            return null;
        }
        if (!WholeStackRequirement.InCi)
        {
            return WholeStackRequirement.Check($"the local images {string.Join(", ", missing)} are not built (run tests/images/build.sh; see tests/images/README.md for times)");
        }
        var script = Path.Combine(AppHostPaths.Root, "tests", "images", "build.sh");
        var code = await RunAsync("bash", script, ct, inheritOutput: true);
        Assert.True(code == 0, $"tests/images/build.sh failed (exit {code}) building {string.Join(", ", missing)}");
        return null;
    }

    private static async Task<int> RunAsync(string file, string arguments, CancellationToken ct, bool inheritOutput = false)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments)
            {
                RedirectStandardOutput = !inheritOutput,
                RedirectStandardError = !inheritOutput,
            })!;
            if (!inheritOutput)
            {
                _ = process.StandardOutput.ReadToEndAsync(ct);
                _ = process.StandardError.ReadToEndAsync(ct);
            }
            await process.WaitForExitAsync(ct);
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 127;
        }
    }
}
