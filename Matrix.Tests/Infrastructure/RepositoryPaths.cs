namespace Matrix.Tests.Infrastructure;

/// <summary>Locates the repository root and the <c>../shared/</c> conformance folder beside it.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary><c>../shared/</c> beside the repository root, or null in a user's clone that lacks it.</summary>
    public static string? Shared
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(Root, "..", "shared"));
            return Directory.Exists(path) ? path : null;
        }
    }

    /// <summary>A file under <c>../shared/conformance/</c>; skips the calling test, saying why, when it is absent.</summary>
    public static string ConformanceFile(string name)
    {
        var shared = Shared;
        Assert.SkipWhen(shared is null, $"../shared/ is absent beside {Root}: conformance file '{name}' cannot be checked in this clone.");
        var path = Path.Combine(shared!, "conformance", name);
        Assert.SkipUnless(File.Exists(path), $"conformance file {path} is absent.");
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
