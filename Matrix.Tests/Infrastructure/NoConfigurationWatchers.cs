using System.Runtime.CompilerServices;

namespace Matrix.Tests.Infrastructure;

/// <summary>
/// Every host these tests build (AppHosts, routers, janitors) would watch appsettings.json and user secrets: one inotify instance
/// each, and Linux allows 128 per user, so the AppHost suite's hundred-odd builders (some in parallel) ran out and failed in
/// their constructor. Tests never edit configuration while running, so the hosts they build do not watch it.
/// </summary>
internal static class NoConfigurationWatchers
{
    [ModuleInitializer]
    internal static void Disable() => Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
