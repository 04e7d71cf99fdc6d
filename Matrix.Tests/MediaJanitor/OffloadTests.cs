using Matrix.MediaJanitor.Hosting;
using Matrix.Tests.MediaJanitor.Infrastructure;

namespace Matrix.Tests.MediaJanitor;

[Collection(JanitorCollection.Name)]
public sealed class OffloadTests(JanitorServers servers)
{
    [Fact]
    public async Task OldLocalAndRemoteMediaGoToS3UnderTheStorageProviderKeysAndLeaveTheDisk()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var local = await scenario.AddLocalMediaAsync(size: 50_000, thumbnails: 3);
        var unhashed = await scenario.AddLocalMediaAsync(size: 7_000, thumbnails: 1, recordSha256: false);
        var remote = await scenario.AddRemoteMediaAsync(origin: "matrix.org", thumbnails: 2);
        var recent = await scenario.AddLocalMediaAsync(ageDays: 1);
        var urlPreview = await scenario.AddLocalMediaAsync(urlCache: "https://example.org/");
        var recentRemote = await scenario.AddRemoteMediaAsync(ageDays: 2);

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        foreach (var file in local.Files.Concat(unhashed.Files).Concat(remote.Files))
        {
            await scenario.AssertOffloadedAsync(file);
        }
        foreach (var file in recent.Files.Concat(urlPreview.Files).Concat(recentRemote.Files))
        {
            scenario.AssertKept(file);
            Assert.Null(await scenario.GetObjectAsync(file.RelativePath));
        }
        Assert.Equal(3, await scenario.ScalarAsync("SELECT count(*) FROM media_janitor.offloaded_media"));
        Assert.Contains("summary", result.Output);
        Assert.Contains("offloaded:             9 files", result.Output);
    }

    [Fact]
    public async Task KeysGetTheConfiguredPrefixVerbatimAsTheStorageProviderDoes()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        scenario.Set("Janitor:S3:Prefix", "synapse/media/");
        var media = await scenario.AddLocalMediaAsync(thumbnails: 1);

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        foreach (var file in media.Files)
        {
            await scenario.AssertOffloadedAsync(file, prefix: "synapse/media/");
        }
        Assert.All(await scenario.ListKeysAsync(), key => Assert.StartsWith("synapse/media/local_", key));
    }

    [Fact]
    public async Task LargeFilesGoUpAsMultipartUploadsAndAreVerifiedWhole()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        scenario.Set("Janitor:Offload:MultipartThresholdBytes", (5 * 1024 * 1024).ToString())
                .Set("Janitor:Offload:MultipartPartSizeBytes", (5 * 1024 * 1024).ToString());
        var video = await scenario.AddLocalMediaAsync(size: 12 * 1024 * 1024 + 123, thumbnails: 1);

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        foreach (var file in video.Files)
        {
            await scenario.AssertOffloadedAsync(file);
        }
    }

    [Fact]
    public async Task MetadataVerificationModeAlsoOffloads()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        scenario.Set("Janitor:Offload:Verification", "Metadata");
        var media = await scenario.AddLocalMediaAsync(thumbnails: 2);

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        foreach (var file in media.Files)
        {
            await scenario.AssertOffloadedAsync(file);
        }
    }

    [Fact]
    public async Task AStrayFileWithANameSynapseNeverWritesIsLeftAloneAndDoesNotBlockTheMedia()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var media = await scenario.AddLocalMediaAsync(thumbnails: 1);
        var stray = new MediaFixtureFile(Path.GetDirectoryName(media.Thumbnails.First().RelativePath) + "/notes copy.txt", [1, 2, 3]);
        scenario.WriteFiles([stray], DateTimeOffset.UtcNow.AddDays(-60));

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        foreach (var file in media.Files)
        {
            await scenario.AssertOffloadedAsync(file);
        }
        scenario.AssertKept(stray);
        Assert.Contains("not a thumbnail name Synapse writes", result.Output);
    }
}
