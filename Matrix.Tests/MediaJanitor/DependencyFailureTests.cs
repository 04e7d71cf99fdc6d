using Matrix.MediaJanitor.Hosting;
using Matrix.Tests.Infrastructure;
using Matrix.Tests.MediaJanitor.Infrastructure;

namespace Matrix.Tests.MediaJanitor;

/// <summary>Safety: S3 unreachable, bucket missing, database unreachable: clear error, zero deletions, non-zero exit.</summary>
[Collection(JanitorCollection.Name)]
public sealed class DependencyFailureTests(JanitorServers servers)
{
    [Fact]
    public async Task UnreachableS3GivesAClearErrorAndDeletesNothing()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var nothingListens = $"http://127.0.0.1:{FreePort.Tcp()}";
        scenario.Set("Janitor:S3:ServiceUrl", nothingListens);
        var media = await scenario.AddLocalMediaAsync(thumbnails: 2);

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.DependencyUnavailable, result.ToString());
        Assert.Contains($"S3 endpoint {nothingListens} is not usable", result.Output);
        foreach (var file in media.Files)
        {
            scenario.AssertKept(file);
        }
    }

    [Fact]
    public async Task AMissingBucketGivesAClearErrorAndDeletesNothing()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers, createBucket: false);
        var media = await scenario.AddLocalMediaAsync(thumbnails: 1);

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.DependencyUnavailable, result.ToString());
        Assert.Contains($"S3 bucket '{scenario.Bucket}' does not exist", result.Output);
        foreach (var file in media.Files)
        {
            scenario.AssertKept(file);
        }
    }

    [Fact]
    public async Task S3GoingDownMidRunStopsTheRunAndKeepsEveryUnverifiedFile()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var proxy = await FaultyS3Proxy.StartAsync(servers.S3!.Url);
        scenario.Set("Janitor:S3:ServiceUrl", proxy.Url).Set("Janitor:Offload:Parallelism", "2");
        var media = new List<MediaFixture>();
        for (var i = 0; i < 40; i++)
        {
            media.Add(await scenario.AddLocalMediaAsync(thumbnails: 1));
        }
        proxy.Add(S3Fault.Delay, "PUT", "", delayMs: 30);
        await using var run = scenario.StartProcess(null, "--once");
        var files = media.SelectMany(m => m.Files).ToList();
        await JanitorScenario.EventuallyAsync(() => Task.FromResult<object?>(
            files.Count(scenario.ExistsLocally) < files.Count || run.HasExited ? new object() : null), TimeSpan.FromMinutes(1), "the first deletions");
        await proxy.DisposeAsync(); // the endpoint disappears: connections refused from now on

        var code = await run.WaitForExitAsync(TimeSpan.FromMinutes(3));

        Assert.True(code is ExitCodes.DependencyUnavailable or ExitCodes.CompletedWithFailures, $"exit {code}\n{run.Output}");
        Assert.Contains(files, scenario.ExistsLocally);
        foreach (var file in files)
        {
            await scenario.AssertNotLostAsync(file);
        }
    }

    [Fact]
    public async Task AnUnreachableDatabaseGivesAClearErrorAndDeletesNothing()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var media = await scenario.AddLocalMediaAsync(thumbnails: 1);
        scenario.Set("Janitor:Database:ConnectionString", $"Host=127.0.0.1;Port={FreePort.Tcp()};Username=synapse;Password=db-secret-4711;Database=synapse;Timeout=3");

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.DependencyUnavailable, result.ToString());
        Assert.Contains("cannot connect to the state database", result.Output);
        Assert.DoesNotContain("db-secret-4711", result.Output);
        foreach (var file in media.Files)
        {
            scenario.AssertKept(file);
        }
        Assert.Empty(await scenario.ListKeysAsync());
    }

    [Fact]
    public async Task ADatabaseWithoutSynapsesTablesIsRefused()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var empty = await servers.Postgres!.CreateDatabaseAsync("empty_" + Guid.NewGuid().ToString("N")[..8]);
        scenario.Set("Janitor:Database:ConnectionString", empty);

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.DependencyUnavailable, result.ToString());
        Assert.Contains("Synapse's media tables are missing", result.Output);
    }
}
