using System.Runtime.CompilerServices;

namespace Matrix.AppHost.Tests.Infrastructure;

/// <summary>
/// Every AppHost these tests build would watch appsettings.json and the user secrets for changes: one inotify instance
/// each, and Linux allows 128 per user, so the suite's hundred-odd builders (some in parallel) ran out and failed in
/// their constructor. Tests never edit configuration while running, so the hosts they build do not watch it.
/// </summary>
internal static class NoConfigurationWatchers
{
    [ModuleInitializer]
    internal static void Disable() => Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
