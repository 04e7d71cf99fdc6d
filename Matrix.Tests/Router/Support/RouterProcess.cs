using Matrix.Tests.Infrastructure;

namespace Matrix.Tests.Router.Support;

/// <summary>Matrix.Router as operators run it: <c>dotnet Matrix.Router.dll</c>, its own process, configured by environment variables.</summary>
public static class RouterProcess
{
    /// <summary>The router's entry assembly next to the tests; skips the test, saying why, when it cannot run on its own.</summary>
    public static string Dll
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Matrix.Router.dll");
            Assert.SkipUnless(File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json")), $"{path} cannot run on its own here (no runtimeconfig)");
            return path;
        }
    }

    public static ExternalProcess Start(IEnumerable<string> arguments, IDictionary<string, string> environment) =>
        ExternalProcess.Start("dotnet", [Dll, .. arguments], AppContext.BaseDirectory, environment);
}
