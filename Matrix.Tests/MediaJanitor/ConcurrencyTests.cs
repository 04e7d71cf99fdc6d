using Matrix.MediaJanitor.Hosting;
using Matrix.MediaJanitor.State;
using Matrix.Tests.MediaJanitor.Infrastructure;
using Npgsql;

namespace Matrix.Tests.MediaJanitor;

/// <summary>Safety: two runs at once cannot both work; the second exits cleanly with a message.</summary>
[Collection(JanitorCollection.Name)]
public sealed class ConcurrencyTests(JanitorServers servers)
{
    [Fact]
    public async Task ASecondRunWhileOneIsWorkingExitsCleanlyWithAMessage()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        await using var proxy = await FaultyS3Proxy.StartAsync(servers.S3!.Url);
        scenario.Set("Janitor:S3:ServiceUrl", proxy.Url).Set("Janitor:Offload:Parallelism", "1");
        var media = new List<MediaFixture>();
        for (var i = 0; i < 20; i++)
        {
            media.Add(await scenario.AddLocalMediaAsync(thumbnails: 1));
        }
        proxy.Add(S3Fault.Delay, "PUT", "", delayMs: 100);

        await using var first = scenario.StartProcess(null, "--once");
        await JanitorScenario.EventuallyAsync(() => Task.FromResult<object?>(
            first.Output.Contains("media janitor run started") || first.HasExited ? new object() : null), TimeSpan.FromMinutes(1), "the first run to start");
        Assert.False(first.HasExited, first.Output);

        var second = await scenario.RunAsync("--once");

        Assert.True(second.ExitCode == ExitCodes.AnotherRunActive, second.ToString());
        Assert.Contains("another media janitor run holds the lock", second.Output);
        Assert.DoesNotContain("media janitor run started", second.Output);
        Assert.DoesNotContain("summary", second.Output);

        proxy.Clear();
        Assert.Equal(ExitCodes.Success, await first.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        foreach (var file in media.SelectMany(m => m.Files))
        {
            await scenario.AssertOffloadedAsync(file);
        }
    }

    [Fact]
    public async Task WhileTheLockIsHeldNothingIsUploadedOrDeleted()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var media = await scenario.AddLocalMediaAsync(thumbnails: 2);
        await using var holder = new NpgsqlConnection(scenario.ConnectionString);
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({RunLock.Key})", holder))
        {
            await take.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.AnotherRunActive, result.ToString());
        foreach (var file in media.Files)
        {
            scenario.AssertKept(file);
        }
        Assert.Empty(await scenario.ListKeysAsync());
    }

    [Fact]
    public async Task ARunWhoseLockSessionDiesStopsAndLosesNothing()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        await using var proxy = await FaultyS3Proxy.StartAsync(servers.S3!.Url);
        scenario.Set("Janitor:S3:ServiceUrl", proxy.Url).Set("Janitor:Offload:Parallelism", "1");
        var media = new List<MediaFixture>();
        for (var i = 0; i < 30; i++)
        {
            media.Add(await scenario.AddLocalMediaAsync(thumbnails: 1));
        }
        proxy.Add(S3Fault.Delay, "PUT", "", delayMs: 200);
        await using var run = scenario.StartProcess(null, "--once");
        await JanitorScenario.EventuallyAsync(() => Task.FromResult<object?>(
            run.Output.Contains("media janitor run started") || run.HasExited ? new object() : null), TimeSpan.FromMinutes(1), "the run to start");

        // A database restart or a network cut ends the session that holds the advisory lock.
        await scenario.ExecuteAsync("""
            SELECT pg_terminate_backend(pid) FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """);

        var code = await run.WaitForExitAsync(TimeSpan.FromMinutes(2));
        Assert.True(code == ExitCodes.DependencyUnavailable, $"exit {code}\n{run.Output}");
        Assert.Contains("lost the run lock", run.Output);
        foreach (var file in media.SelectMany(m => m.Files))
        {
            await scenario.AssertNotLostAsync(file);
        }
    }
}
