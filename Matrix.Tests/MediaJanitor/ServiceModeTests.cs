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

    [Fact]
    public async Task HealthNamesTheS3EndpointTheLastRunCouldNotReach()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        // Nothing listens on this port: the run's S3 preflight is refused.
        var unreachable = $"http://127.0.0.1:{FreePort.Tcp()}";
        var port = FreePort.Tcp();
        var settings = new Dictionary<string, string?>
        {
            ["Janitor:Schedule:Interval"] = "1s",
            ["Janitor:S3:ServiceUrl"] = unreachable,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        };
        await using var service = scenario.StartProcess(settings);
        using var http = new HttpClient();
        var health = await UnhealthyAnswerAsync(http, service, port, "/health to report the unreachable S3 endpoint");
        Assert.False(service.HasExited, service.Output);
        Assert.Contains(unreachable, health, StringComparison.Ordinal);
        Assert.Contains("S3", health, StringComparison.Ordinal);
        Assert.DoesNotContain(S3rverProcess.SecretKey, health, StringComparison.Ordinal);
        // /alive is the process, not its dependencies.
        Assert.Equal("Healthy", await http.GetStringAsync($"http://127.0.0.1:{port}/alive", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task HealthNamesTheDatabaseTheLastRunCouldNotReach()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var deadPort = FreePort.Tcp();
        var port = FreePort.Tcp();
        var settings = new Dictionary<string, string?>
        {
            ["Janitor:Schedule:Interval"] = "1s",
            ["Janitor:Database:ConnectionString"] = $"Host=127.0.0.1;Port={deadPort};Database=synapse;Username=synapse;Password=never-shown;Timeout=2",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        };
        await using var service = scenario.StartProcess(settings);
        using var http = new HttpClient();
        var health = await UnhealthyAnswerAsync(http, service, port, "/health to report the unreachable database");
        Assert.False(service.HasExited, service.Output);
        Assert.Contains($"port {deadPort}", health, StringComparison.Ordinal);
        Assert.Contains("database", health, StringComparison.Ordinal);
        Assert.DoesNotContain("never-shown", health, StringComparison.Ordinal);
    }

    /// <summary>The body of <c>/health</c> once it says Unhealthy (the first scheduled run has failed).</summary>
    private static Task<string> UnhealthyAnswerAsync(HttpClient http, ExternalProcess service, int port, string what) =>
        JanitorScenario.EventuallyAsync(async () =>
        {
            if (service.HasExited)
            {
                return "exited";
            }
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/health", TestContext.Current.CancellationToken);
                var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                return body.StartsWith("Unhealthy", StringComparison.Ordinal) ? body : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, TimeSpan.FromMinutes(1), what);
}
