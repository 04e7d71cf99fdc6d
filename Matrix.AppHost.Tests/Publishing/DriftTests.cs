using Matrix.AppHost.Tests.Infrastructure;

namespace Matrix.AppHost.Tests.Publishing;

/// <summary>
/// The committed <c>aspire-manifest/</c> (the manifest and the <c>kubernetes/</c> folder) must be exactly what a fresh publish produces (regenerate with
/// <c>aspire-manifest/regenerate.sh</c>). A missing committed output is drift too: it fails, it does not skip.
/// </summary>
public sealed class DriftTests : IDisposable
{
    // Beside aspire-manifest/ (same depth), because the manifest records project paths relative to its own folder.
    private readonly string _output = Directory.CreateDirectory(Path.Combine(AppHostPaths.Root, $".drift-{Guid.NewGuid():N}")).FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public async Task CommittedOutputMatchesAFreshPublish()
    {
        await Publisher.PublishManifestAsync(Path.Combine(_output, "aspire-manifest.json"));
        await Publisher.PublishKubernetesAsync(_output);

        var committed = AppHostPaths.CommittedOutput;
        var fresh = Files(_output);
        var kept = Files(committed).Where(path => path is not "README.md" and not "regenerate.sh").ToList();

        var missing = fresh.Except(kept).ToList();
        var extra = kept.Except(fresh).ToList();
        var changed = fresh.Intersect(kept)
            .Where(path => File.ReadAllText(Path.Combine(_output, path)) != File.ReadAllText(Path.Combine(committed, path)))
            .ToList();

        Assert.True(missing.Count == 0 && extra.Count == 0 && changed.Count == 0,
            $"aspire-manifest/ drifted from a fresh publish; run aspire-manifest/regenerate.sh and commit.{Environment.NewLine}" +
            $"not committed: {string.Join(", ", missing)}{Environment.NewLine}" +
            $"no longer produced: {string.Join(", ", extra)}{Environment.NewLine}" +
            $"changed: {string.Join(", ", changed)}");
    }

    private static List<string> Files(string root) =>
        Directory.Exists(root)
            ? Directory.GetFiles(root, "*", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
}
