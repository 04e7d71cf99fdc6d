using Matrix.Tests.Infrastructure;

namespace Matrix.AppHost.Tests.Infrastructure;

/// <summary>The repository root, the committed <c>aspire-manifest/</c> and the <c>../shared/conformance</c> files.</summary>
public static class AppHostPaths
{
    public static string Root => RepositoryPaths.Root;

    public static string CommittedOutput => Path.Combine(Root, "aspire-manifest");

    /// <summary>A conformance file; skips the calling test, saying why, when <c>../shared/</c> is absent.</summary>
    public static string ConformanceFile(string name) => RepositoryPaths.ConformanceFile(name);
}
