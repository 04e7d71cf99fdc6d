using Matrix.MediaJanitor.Hosting;
using Matrix.Tests.MediaJanitor.Infrastructure;

namespace Matrix.Tests.MediaJanitor;

/// <summary>Safety: a run killed at any moment (kill -9) loses nothing, and the next run finishes the job.</summary>
[Collection(JanitorCollection.Name)]
public sealed class CrashSafetyTests(JanitorServers servers)
{
    [Fact]
    public async Task KillDashNineMidRunLosesNothingAndTheNextRunFinishes()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        await using var proxy = await FaultyS3Proxy.StartAsync(servers.S3!.Url);
        scenario.Set("Janitor:S3:ServiceUrl", proxy.Url).Set("Janitor:Offload:Parallelism", "3");
        var media = new List<MediaFixture>();
        for (var i = 0; i < 60; i++)
        {
            media.Add(i % 4 == 0
                ? await scenario.AddRemoteMediaAsync(size: 5_000 + i * 100, thumbnails: 1)
                : await scenario.AddLocalMediaAsync(size: 5_000 + i * 100, thumbnails: 2, recordSha256: i % 2 == 0));
        }
        var files = media.SelectMany(m => m.Files).ToList();
        // Slow uploads down so the kills land in the middle of the work, at different points each time.
        proxy.Add(S3Fault.Delay, "PUT", "", delayMs: 40);

        foreach (var fractionLeft in new[] { 0.9, 0.5 })
        {
            await using var run = scenario.StartProcess(null, "--once");
            var localBefore = files.Count(scenario.ExistsLocally);
            await JanitorScenario.EventuallyAsync(() => Task.FromResult<object?>(
                files.Count(scenario.ExistsLocally) <= localBefore * fractionLeft || run.HasExited ? new object() : null),
                TimeSpan.FromMinutes(2), "the janitor to delete some files");
            Assert.False(run.HasExited, "the run finished before it could be killed: nothing was tested\n" + run.Output);
            run.Kill(); // SIGKILL: no cleanup code runs.

            var left = files.Count(scenario.ExistsLocally);
            Assert.InRange(left, 1, files.Count - 1);
            foreach (var file in files)
            {
                await scenario.AssertNotLostAsync(file);
            }
        }

        proxy.Clear();
        JanitorRunResult final;
        var attempts = 0;
        do
        {
            // PostgreSQL frees the killed run's lock once it notices the dead connection.
            final = await scenario.RunAsync("--once");
        }
        while (final.ExitCode == ExitCodes.AnotherRunActive && ++attempts < 50 && await Delay());

        Assert.True(final.ExitCode == ExitCodes.Success, final.ToString());
        foreach (var file in files)
        {
            await scenario.AssertOffloadedAsync(file);
        }
        Assert.Equal(media.Count, await scenario.ScalarAsync("SELECT count(*) FROM media_janitor.offloaded_media"));
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(200);
        return true;
    }
}
