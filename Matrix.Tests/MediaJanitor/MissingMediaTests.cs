using Matrix.MediaJanitor.Hosting;
using Matrix.Tests.MediaJanitor.Infrastructure;

namespace Matrix.Tests.MediaJanitor;

/// <summary>Safety: a row whose file is missing locally and absent in S3 is reported, not treated as success.</summary>
[Collection(JanitorCollection.Name)]
public sealed class MissingMediaTests(JanitorServers servers)
{
    [Fact]
    public async Task AFileMissingLocallyAndInS3IsReportedAndTheMediaIsNotMarkedOffloaded()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var lost = await scenario.AddLocalMediaAsync(thumbnails: 1, writeFiles: false);
        var lostRemote = await scenario.AddRemoteMediaAsync(thumbnails: 0, writeFiles: false);

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.CompletedWithFailures, result.ToString());
        Assert.Contains($"MISSING local media {lost.MediaId} {lost.Original.RelativePath}", result.Output);
        Assert.Contains(lostRemote.Original.RelativePath, result.Output);
        Assert.Contains("MISSING (disk and S3): 3 files", result.Output);
        Assert.Equal(0, await scenario.ScalarAsync("SELECT count(*) FROM media_janitor.offloaded_media"));

        // Reported again on the next run: nothing marked it done.
        var again = await scenario.RunAsync("--once");
        Assert.Equal(ExitCodes.CompletedWithFailures, again.ExitCode);
        Assert.Contains("MISSING (disk and S3): 3 files", again.Output);
    }

    [Fact]
    public async Task AFileAlreadyInS3ButNotOnDiskCountsAsSafe()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        // What s3_media_upload or Synapse's storage provider leave behind: object in S3, local copy gone.
        var media = await scenario.AddLocalMediaAsync(thumbnails: 1, writeFiles: false);
        foreach (var file in media.Files)
        {
            await scenario.PutObjectAsync(file.RelativePath, file.Content);
        }

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("already in S3:         2 files", result.Output);
        Assert.Equal(1, await scenario.ScalarAsync("SELECT count(*) FROM media_janitor.offloaded_media"));
    }

    [Fact]
    public async Task AnObjectOfTheWrongSizeDoesNotCountAsTheMissingFile()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var media = await scenario.AddLocalMediaAsync(thumbnails: 0, writeFiles: false);
        await scenario.PutObjectAsync(media.Original.RelativePath, [1, 2, 3]);

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.CompletedWithFailures, result.ToString());
        Assert.Contains("has 3 bytes but Synapse recorded", result.Output);
    }
}
