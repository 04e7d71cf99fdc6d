using Matrix.MediaJanitor.Hosting;
using Matrix.MediaJanitor.Offload;
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
    public async Task S3KilledMidRunInAHalfOffloadedStoreStopsTheRunWithExit4()
    {
        // The test's own s3rver: killing the shared one would break every other test in the collection.
        servers.Require();
        var (ownS3, skip) = await S3rverProcess.StartAsync();
        Assert.SkipWhen(ownS3 is null, skip ?? "");
        await using var s3 = ownS3;
        await using var scenario = await JanitorScenario.CreateAsync(servers, ownS3Server: s3);
        scenario.Set("Janitor:Offload:Parallelism", "2");
        var offloaded = new List<MediaFixture>();
        for (var i = 0; i < 120; i++)
        {
            offloaded.Add(await scenario.AddLocalMediaAsync(size: 4_000, thumbnails: 1));
        }
        var first = await scenario.RunAsync("--once");
        Assert.True(first.ExitCode == ExitCodes.Success, first.ToString());
        // Half the store is now recorded as offloaded (absent locally: no S3 request needed for those), the other
        // half is new; media ids are random, so the run meets the two kinds interleaved.
        var fresh = new List<MediaFixture>();
        for (var i = 0; i < 120; i++)
        {
            fresh.Add(await scenario.AddLocalMediaAsync(size: 4_000, thumbnails: 1));
        }
        var freshFiles = fresh.SelectMany(m => m.Files).ToList();

        var run = Task.Run(() => scenario.RunAsync("--once"));
        await JanitorScenario.EventuallyAsync(() => Task.FromResult<object?>(
            freshFiles.Any(f => !scenario.ExistsLocally(f)) || run.IsCompleted ? new object() : null), TimeSpan.FromMinutes(1), "the first offloaded file of the new half");
        s3.Kill();
        var result = await run;

        Assert.True(result.ExitCode == ExitCodes.DependencyUnavailable, result.ToString());
        Assert.Contains($"S3 became unreachable: {OffloadRunner.UnreachableThreshold} requests in a row failed to connect; stopping.", result.Output);
        Assert.Contains(freshFiles, scenario.ExistsLocally);

        // The server comes back: nothing was lost, and the next run finishes the job.
        await s3.RestartAsync();
        foreach (var file in offloaded.Concat(fresh).SelectMany(m => m.Files))
        {
            await scenario.AssertNotLostAsync(file);
        }
        var after = await scenario.RunAsync("--once");
        Assert.True(after.ExitCode == ExitCodes.Success, after.ToString());
        foreach (var file in freshFiles)
        {
            await scenario.AssertOffloadedAsync(file);
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
