namespace Matrix.AppHost.Tests.Infrastructure;

/// <summary>The repository root, the committed <c>aspire-manifest/</c> and the <c>../shared/conformance</c> files.</summary>
public static class AppHostPaths
{
    public static string Root { get; } = FindRoot();

    public static string CommittedOutput => Path.Combine(Root, "aspire-manifest");

    /// <summary>A conformance file; skips the calling test, saying why, when <c>../shared/</c> is absent.</summary>
    public static string ConformanceFile(string name)
    {
        var path = Path.GetFullPath(Path.Combine(Root, "..", "shared", "conformance", name));
        Assert.SkipUnless(File.Exists(path), $"{path} is absent (../shared/ is not beside this clone): the conformance check cannot run here.");
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Matrix.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Matrix.sln not found above {AppContext.BaseDirectory}.");
    }
}
