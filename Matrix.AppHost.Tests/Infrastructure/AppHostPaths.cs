using Matrix.Tests.Infrastructure;

namespace Matrix.AppHost.Tests.Infrastructure;

/// <summary>The repository root, the committed <c>aspire-manifest/</c> and the <c>../shared/conformance</c> files.</summary>
public static class AppHostPaths
{
    public static string Root => RepositoryPaths.Root;

    public static string CommittedOutput => Path.Combine(Root, "aspire-manifest");

    /// <summary>A conformance file; skips the calling test, saying why, when <c>../shared/</c> is absent.</summary>
    public static string ConformanceFile(string name) => RepositoryPaths.ConformanceFile(name);

    /// <summary>
    /// A project's own build output (<c>&lt;project&gt;/bin/&lt;Configuration&gt;/net10.0/&lt;project&gt;.dll</c>, the configuration this
    /// test assembly was built in), to run it as its own process with its own dependencies.
    /// </summary>
    public static string ProjectDll(string project)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(Root, project, "bin", output.Parent!.Name, output.Name, project + ".dll");
        Assert.True(File.Exists(path), $"{path} is missing: build Matrix.sln first (./test.sh does)");
        return path;
    }
}
