using Matrix.MediaJanitor.Hosting;
using Matrix.Tests.MediaJanitor.Infrastructure;

namespace Matrix.Tests.MediaJanitor;

/// <summary>Objects whose media row Synapse deleted are removed after a grace period, reported in a dry run first.</summary>
[Collection(JanitorCollection.Name)]
public sealed class ReconciliationTests(JanitorServers servers)
{
    [Fact]
    public async Task OrphansAreDeletedOnlyAfterTheGracePeriodAndLiveMediaIsNeverTouched()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        scenario.Set("Janitor:Reconciliation:Enabled", "true").Set("Janitor:Reconciliation:GracePeriod", "7d")
                .Set("Janitor:Reconciliation:MaxOrphanFraction", "0.9");
        var kept = await scenario.AddLocalMediaAsync(thumbnails: 1);
        var keptRemote = await scenario.AddRemoteMediaAsync(thumbnails: 1);
        var deletedLocal = await scenario.AddLocalMediaAsync(thumbnails: 2);
        var purgedRemote = await scenario.AddRemoteMediaAsync(thumbnails: 1);
        Assert.Equal(ExitCodes.Success, (await scenario.RunAsync("--once")).ExitCode);
        await scenario.PutObjectAsync("url_cache/2024-01-01/somepreview", [1]); // not the janitor's to judge

        // Synapse deletes rows (retention / admin API / purge_media_cache); the S3 objects stay behind.
        await scenario.ExecuteAsync("DELETE FROM local_media_repository WHERE media_id = @id", ("id", deletedLocal.MediaId));
        await scenario.ExecuteAsync("DELETE FROM local_media_repository_thumbnails WHERE media_id = @id", ("id", deletedLocal.MediaId));
        await scenario.ExecuteAsync("DELETE FROM remote_media_cache WHERE media_id = @id", ("id", purgedRemote.MediaId));
        var orphanFiles = deletedLocal.Files.Concat(purgedRemote.Files).ToList();

        var dryRun = await scenario.RunAsync("--dry-run");
        Assert.True(dryRun.ExitCode == ExitCodes.Success, dryRun.ToString());
        Assert.Contains($"{orphanFiles.Count:N0} without a media row", dryRun.Output);
        foreach (var file in orphanFiles)
        {
            Assert.Contains($"orphan {file.RelativePath}", dryRun.Output);
        }

        var firstSighting = await scenario.RunAsync("--once");
        Assert.True(firstSighting.ExitCode == ExitCodes.Success, firstSighting.ToString());
        foreach (var file in orphanFiles)
        {
            Assert.NotNull(await scenario.GetObjectAsync(file.RelativePath));
        }
        Assert.Contains($"0 deleted (0 B), {orphanFiles.Count} in grace period", firstSighting.Output);

        // Time passes: the orphans were first seen eight days ago.
        var eightDaysAgo = DateTimeOffset.UtcNow.AddDays(-8).ToUnixTimeMilliseconds();
        await scenario.ExecuteAsync("UPDATE media_janitor.orphan_objects SET first_seen_ts = @ts", ("ts", eightDaysAgo));
        var dryAfterGrace = await scenario.RunAsync("--dry-run");
        Assert.Contains($"{orphanFiles.Count} would be deleted", dryAfterGrace.Output);

        var afterGrace = await scenario.RunAsync("--once");

        Assert.True(afterGrace.ExitCode == ExitCodes.Success, afterGrace.ToString());
        foreach (var file in orphanFiles)
        {
            Assert.Null(await scenario.GetObjectAsync(file.RelativePath));
        }
        foreach (var file in kept.Files.Concat(keptRemote.Files))
        {
            Assert.Equal(file.Content, await scenario.GetObjectAsync(file.RelativePath));
        }
        Assert.NotNull(await scenario.GetObjectAsync("url_cache/2024-01-01/somepreview"));
        Assert.Equal(0, await scenario.ScalarAsync("SELECT count(*) FROM media_janitor.orphan_objects"));
    }

    [Fact]
    public async Task AnOrphanWhoseRowComesBackIsForgottenAndKept()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        scenario.Set("Janitor:Reconciliation:Enabled", "true").Set("Janitor:Reconciliation:GracePeriod", "1d");
        var media = await scenario.AddLocalMediaAsync(thumbnails: 0);
        var other = await scenario.AddLocalMediaAsync(thumbnails: 0);
        Assert.Equal(ExitCodes.Success, (await scenario.RunAsync("--once")).ExitCode);
        await scenario.ExecuteAsync("ALTER TABLE local_media_repository RENAME TO lmr_backup");
        await scenario.ExecuteAsync("CREATE TABLE local_media_repository (LIKE lmr_backup INCLUDING ALL)");
        await scenario.ExecuteAsync("INSERT INTO local_media_repository SELECT * FROM lmr_backup WHERE media_id <> @id", ("id", media.MediaId));
        Assert.Equal(ExitCodes.Success, (await scenario.RunAsync("--once")).ExitCode);
        Assert.Equal(1, await scenario.ScalarAsync("SELECT count(*) FROM media_janitor.orphan_objects"));

        // The row is restored (a backup restore, say), then the grace period would have expired.
        await scenario.ExecuteAsync("INSERT INTO local_media_repository SELECT * FROM lmr_backup WHERE media_id = @id", ("id", media.MediaId));
        await scenario.ExecuteAsync("UPDATE media_janitor.orphan_objects SET first_seen_ts = 0");
        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Equal(media.Original.Content, await scenario.GetObjectAsync(media.Original.RelativePath));
        Assert.Equal(other.Original.Content, await scenario.GetObjectAsync(other.Original.RelativePath));
        Assert.Equal(0, await scenario.ScalarAsync("SELECT count(*) FROM media_janitor.orphan_objects"));
    }

    [Fact]
    public async Task WhenMostObjectsLookOrphanedNothingIsDeleted()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        scenario.Set("Janitor:Reconciliation:Enabled", "true").Set("Janitor:Reconciliation:GracePeriod", "0s");
        var media = new List<MediaFixture>();
        for (var i = 0; i < 4; i++)
        {
            media.Add(await scenario.AddLocalMediaAsync(thumbnails: 0));
        }
        Assert.Equal(ExitCodes.Success, (await scenario.RunAsync("--once")).ExitCode);
        // Pointing the janitor at the wrong (here: emptied) tables must not wipe the bucket.
        await scenario.ExecuteAsync("DELETE FROM local_media_repository WHERE media_id <> @id", ("id", media[0].MediaId));

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.CompletedWithFailures, result.ToString());
        Assert.Contains("reconciliation refuses to delete", result.Output);
        foreach (var m in media)
        {
            Assert.NotNull(await scenario.GetObjectAsync(m.Original.RelativePath));
        }
    }
}
