using Matrix.MediaJanitor.Hosting;
using Matrix.Tests.Infrastructure;
using Matrix.Tests.MediaJanitor.Infrastructure;

namespace Matrix.Tests.MediaJanitor;

/// <summary>The long-running mode the AppHost runs: scheduled runs, health endpoints, clean shutdown on SIGTERM.</summary>
[Collection(JanitorCollection.Name)]
public sealed class ServiceModeTests(JanitorServers servers)
{
    [Fact]
    public async Task TheServiceRunsOnItsScheduleAndAnswersHealthChecks()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var first = await scenario.AddLocalMediaAsync(thumbnails: 1);
        var port = FreePort.Tcp();
        var settings = new Dictionary<string, string?>
        {
            ["Janitor:Schedule:Interval"] = "1s",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        };
        await using var service = scenario.StartProcess(settings);
        await JanitorScenario.EventuallyAsync(() => Task.FromResult<object?>(
            first.Files.All(f => !scenario.ExistsLocally(f)) || service.HasExited ? new object() : null), TimeSpan.FromMinutes(1), "the first scheduled run");
        Assert.False(service.HasExited, service.Output);

        // Media that ages past the cutoff later is picked up by a later scheduled run.
        var second = await scenario.AddLocalMediaAsync(thumbnails: 1);
        await JanitorScenario.EventuallyAsync(() => Task.FromResult<object?>(
            second.Files.All(f => !scenario.ExistsLocally(f)) || service.HasExited ? new object() : null), TimeSpan.FromMinutes(1), "a later scheduled run");

        using var http = new HttpClient();
        Assert.Equal("Healthy", await http.GetStringAsync($"http://127.0.0.1:{port}/health", TestContext.Current.CancellationToken));
        Assert.Equal("Healthy", await http.GetStringAsync($"http://127.0.0.1:{port}/alive", TestContext.Current.CancellationToken));
        foreach (var file in first.Files.Concat(second.Files))
        {
            await scenario.AssertOffloadedAsync(file);
        }

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", service.Id.ToString()]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
        Assert.Equal(ExitCodes.Success, await service.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }
}
