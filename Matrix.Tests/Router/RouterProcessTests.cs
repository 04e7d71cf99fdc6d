using Matrix.Tests.Infrastructure;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Router;

/// <summary>
/// Matrix.Router as operators run it: its own process, configured by <c>Router__Pools__...</c> environment variables
/// and <c>--urls</c>, logging to the console; and refusing to start, naming the setting, when misconfigured.
/// </summary>
public class RouterProcessTests
{
    [Fact]
    public async Task ConfiguredByEnvironmentVariablesItRoutesAndItsConsoleOutputHoldsNoToken()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("synchrotron", 2));
        var port = FreePort.Tcp();
        var environment = new Dictionary<string, string>
        {
            ["Router__Pools__main__0"] = layout["main"].Url,
            ["Router__Pools__synchrotron__0"] = layout["synchrotron-1"].Url,
            ["Router__Pools__synchrotron__1"] = layout["synchrotron-2"].Url,
            ["Logging__LogLevel__Default"] = "Trace",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace",
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace",
            ["Logging__LogLevel__Yarp"] = "Trace",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        await using var router = RouterProcess.Start(["--urls", $"http://127.0.0.1:{port}"], environment);
        await Readiness.WaitForTcpAsync(port, router, TimeSpan.FromSeconds(120));

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        const string token = "syt_cHJvY2Vzcw_ConsoleTokenNeverPrinted_0";
        using var response = await client.GetAsync($"/_matrix/client/v3/sync?since=s1&access_token={token}", TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("synchrotron-", response.Headers.GetValues("X-Backend-Instance").Single());
        // Without an initial-synchrotron pool, initial syncs go to the synchrotrons (Matrix.Stack's layout rule).
        using var initial = await client.GetAsync("/_matrix/client/v3/sync", TestContext.Current.CancellationToken);
        Assert.StartsWith("synchrotron-", initial.Headers.GetValues("X-Backend-Instance").Single());
        using var pushers = await client.GetAsync("/_matrix/client/v3/pushers", TestContext.Current.CancellationToken);
        Assert.Equal("main", pushers.Headers.GetValues("X-Backend-Instance").Single());

        await Eventually.HoldsAsync(() => Task.FromResult(router.Output.Contains("Request finished")), "the request to be logged");
        router.Kill();
        Assert.Contains("access_token=<redacted>", router.Output);
        Assert.DoesNotContain(token, router.Output);
    }

    [Fact]
    public async Task AnUnusableConfigurationStopsItWithTheSettingsNamed()
    {
        var environment = new Dictionary<string, string>
        {
            ["Router__Pools__synchrotron__0"] = "not a url",
            ["Router__Limits__MaxUploadSize"] = "lots",
        };
        await using var router = RouterProcess.Start(["--urls", "http://127.0.0.1:0"], environment);
        Assert.Equal(2, await router.WaitForExitAsync(TimeSpan.FromSeconds(120)));
        Assert.Contains("Router:Pools:synchrotron:0", router.Output);
        Assert.Contains("Router:Pools:main", router.Output);
        Assert.Contains("Router:Limits:MaxUploadSize", router.Output);
    }

    [Fact]
    public async Task HelpPrintsEverySettingAndAMisspeltSettingStopsItNamingTheKey()
    {
        await using (var help = RouterProcess.Start(["--help"], new Dictionary<string, string>()))
        {
            Assert.Equal(0, await help.WaitForExitAsync(TimeSpan.FromSeconds(120)));
            foreach (var setting in Matrix.Router.Configuration.RouterSettings.All)
            {
                Assert.Contains(setting.Key, help.Output);
            }
        }

        var environment = new Dictionary<string, string>
        {
            ["Router__Pools__main__0"] = "http://127.0.0.1:9",
            ["Router__Limits__MaxConection"] = "10",
        };
        await using var router = RouterProcess.Start(["--urls", "http://127.0.0.1:0"], environment);
        Assert.Equal(2, await router.WaitForExitAsync(TimeSpan.FromSeconds(120)));
        Assert.Contains("Router:Limits:MaxConection: unknown setting", router.Output);
    }
}
