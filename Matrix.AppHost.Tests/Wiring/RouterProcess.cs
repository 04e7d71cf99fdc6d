using System.Net.Http.Json;
using System.Text.Json;
using Matrix.AppHost.Tests.Infrastructure;
using Matrix.Tests.Infrastructure;

namespace Matrix.AppHost.Tests.Wiring;

/// <summary>
/// The real Matrix.Router, started as its own process with nothing but a given environment (as a container, a pod or
/// systemd would start it), asked for its pools on <c>/_router/status</c>, then stopped.
/// </summary>
public static class RouterProcess
{
    /// <summary>Each pool the router took, with the settings of its instances; fails with the router's output if it did not start.</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> PoolsAsync(IReadOnlyDictionary<string, string> environment)
    {
        // An address of its own in 127/8 (all loopback on Linux): a free port can be taken by another process between the
        // check and the bind, and then its server, not this router, would answer.
        var address = $"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(2, 255)}";
        var port = FreePort.Tcp();
        var variables = new Dictionary<string, string>(environment, StringComparer.Ordinal)
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        await using var router = ExternalProcess.Start("dotnet", [Dll, "--urls", $"http://{address}:{port}"], Path.GetDirectoryName(Dll), variables);
        await Readiness.WaitForTcpAsync(address, port, router, TimeSpan.FromMinutes(2));
        using var client = new HttpClient { BaseAddress = new Uri($"http://{address}:{port}") };
        var status = await client.GetFromJsonAsync<JsonElement>("/_router/status", TestContext.Current.CancellationToken);
        return status.GetProperty("pools").EnumerateArray().ToDictionary(
            pool => pool.GetProperty("pool").GetString()!,
            IReadOnlyList<string> (pool) => pool.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("setting").GetString()!).ToList(),
            StringComparer.Ordinal);
    }

    private static string Dll => AppHostPaths.ProjectDll("Matrix.Router");
}
