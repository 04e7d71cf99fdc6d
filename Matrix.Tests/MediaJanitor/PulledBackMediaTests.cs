using Matrix.MediaJanitor.Hosting;
using Matrix.Tests.MediaJanitor.Infrastructure;

namespace Matrix.Tests.MediaJanitor;

/// <summary>Files offloaded and later pulled back into the local store (Synapse re-downloads to thumbnail) are cleaned again.</summary>
[Collection(JanitorCollection.Name)]
public sealed class PulledBackMediaTests(JanitorServers servers)
{
    [Fact]
    public async Task PulledBackOriginalsAndNewThumbnailsAreOffloadedAgainOnTheNextRun()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var media = await scenario.AddLocalMediaAsync(thumbnails: 1);
        var first = await scenario.RunAsync("--once");
        Assert.True(first.ExitCode == ExitCodes.Success, first.ToString());
        await scenario.AssertOffloadedAsync(media.Original);

        // Synapse fetched the original back from S3 and wrote a new thumbnail size (a file without a row, too).
        var newThumbnail = new MediaFixtureFile(media.Thumbnails.First().RelativePath.Replace("32-32-image-png-crop", "640-480-image-png-scale"), [9, 8, 7, 6, 5]);
        scenario.WriteFiles([media.Original, newThumbnail], DateTimeOffset.UtcNow.AddHours(-2));

        var second = await scenario.RunAsync("--once");

        Assert.True(second.ExitCode == ExitCodes.Success, second.ToString());
        await scenario.AssertOffloadedAsync(media.Original);
        await scenario.AssertOffloadedAsync(newThumbnail);
        Assert.Contains("of which pulled back: 2 files offloaded again", second.Output);
    }

    [Fact]
    public async Task AFileStillBeingWrittenIsLeftForALaterRun()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var media = await scenario.AddLocalMediaAsync(thumbnails: 0);
        scenario.WriteFiles([media.Original], DateTimeOffset.UtcNow);

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        scenario.AssertKept(media.Original);
        Assert.Contains("skipped (recent):      1 files", result.Output);
        Assert.Equal(0, await scenario.ScalarAsync("SELECT count(*) FROM media_janitor.offloaded_media"));
    }
}
