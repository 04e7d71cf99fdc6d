using Matrix.MediaJanitor.Hosting;
using Matrix.Tests.MediaJanitor.Infrastructure;

namespace Matrix.Tests.MediaJanitor;

/// <summary>Safety: never delete a file without a verified copy in S3; every failure keeps the file and is reported.</summary>
[Collection(JanitorCollection.Name)]
public sealed class VerificationFailureTests(JanitorServers servers)
{
    [Fact]
    public async Task ChecksumMismatchWithSynapsesRecordedSha256KeepsTheFileAndIsReported()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var wrongHash = new string('a', 64);
        var mismatched = await scenario.AddLocalMediaAsync(thumbnails: 1, recordedShaOverride: wrongHash);
        var healthy = await scenario.AddLocalMediaAsync(thumbnails: 1);

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.CompletedWithFailures, result.ToString());
        scenario.AssertKept(mismatched.Original);
        Assert.Contains($"differs from the {wrongHash} Synapse recorded", result.Output);
        Assert.Contains(mismatched.Original.RelativePath, result.Output);
        foreach (var file in healthy.Files)
        {
            await scenario.AssertOffloadedAsync(file);
        }
        // A media is offloaded only when the original and all thumbnails are safe.
        Assert.Equal(0, await scenario.ScalarAsync($"SELECT count(*) FROM media_janitor.offloaded_media WHERE media_id = '{mismatched.MediaId}'"));
        Assert.Equal(1, await scenario.ScalarAsync($"SELECT count(*) FROM media_janitor.offloaded_media WHERE media_id = '{healthy.MediaId}'"));
    }

    [Fact]
    public async Task AnUploadCorruptedOnTheWayKeepsTheFile()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        await using var proxy = await FaultyS3Proxy.StartAsync(servers.S3!.Url);
        scenario.Set("Janitor:S3:ServiceUrl", proxy.Url);
        var media = await scenario.AddLocalMediaAsync(size: 30_000, thumbnails: 1, recordSha256: false);
        proxy.Add(S3Fault.CorruptUpload, "PUT", media.Original.RelativePath);

        var result = await scenario.RunAsync("--once");

        Assert.True(proxy.Hits > 0, "the proxy corrupted nothing: the test did not test anything");
        Assert.True(result.ExitCode == ExitCodes.CompletedWithFailures, result.ToString());
        scenario.AssertKept(media.Original);
        Assert.Contains("FAILED", result.Output);
        Assert.Contains(media.Original.RelativePath, result.Output);
    }

    [Fact]
    public async Task APartialUploadKeepsTheFile()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        await using var proxy = await FaultyS3Proxy.StartAsync(servers.S3!.Url);
        scenario.Set("Janitor:S3:ServiceUrl", proxy.Url);
        var media = await scenario.AddLocalMediaAsync(size: 40_000, thumbnails: 0, recordSha256: false);
        proxy.Add(S3Fault.TruncateUpload, "PUT", media.Original.RelativePath);

        var result = await scenario.RunAsync("--once");

        Assert.True(proxy.Hits > 0, "the proxy truncated nothing");
        Assert.True(result.ExitCode == ExitCodes.CompletedWithFailures, result.ToString());
        scenario.AssertKept(media.Original);
        Assert.Contains(media.Original.RelativePath, result.Output);
    }

    [Fact]
    public async Task S3ErrorResponsesKeepTheFile()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        await using var proxy = await FaultyS3Proxy.StartAsync(servers.S3!.Url);
        scenario.Set("Janitor:S3:ServiceUrl", proxy.Url);
        var failing = await scenario.AddLocalMediaAsync(thumbnails: 1);
        var fine = await scenario.AddLocalMediaAsync(thumbnails: 1);
        proxy.Add(S3Fault.InternalError, "PUT", failing.MediaId[4..]);

        var result = await scenario.RunAsync("--once");

        Assert.True(proxy.Hits > 0);
        Assert.True(result.ExitCode == ExitCodes.CompletedWithFailures, result.ToString());
        foreach (var file in failing.Files)
        {
            scenario.AssertKept(file);
        }
        foreach (var file in fine.Files)
        {
            await scenario.AssertOffloadedAsync(file);
        }
        Assert.Contains("InternalError", result.Output);
    }

    [Fact]
    public async Task AReadBackThatDoesNotMatchKeepsTheFile()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        await using var proxy = await FaultyS3Proxy.StartAsync(servers.S3!.Url);
        scenario.Set("Janitor:S3:ServiceUrl", proxy.Url);
        var media = await scenario.AddLocalMediaAsync(size: 25_000, thumbnails: 0);
        proxy.Add(S3Fault.CorruptDownload, "GET", media.Original.RelativePath);

        var result = await scenario.RunAsync("--once");

        Assert.True(proxy.Hits > 0);
        Assert.True(result.ExitCode == ExitCodes.CompletedWithFailures, result.ToString());
        scenario.AssertKept(media.Original);
        Assert.True(result.Output.Contains("verification of") || result.Output.Contains("GET"), result.Output);
    }

    [Fact]
    public async Task MetadataVerificationRejectsAnObjectWhoseBytesDoNotMatch()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        await using var proxy = await FaultyS3Proxy.StartAsync(servers.S3!.Url);
        scenario.Set("Janitor:S3:ServiceUrl", proxy.Url).Set("Janitor:Offload:Verification", "Metadata");
        var media = await scenario.AddLocalMediaAsync(size: 30_000, thumbnails: 0, recordSha256: false);
        proxy.Add(S3Fault.CorruptUpload, "PUT", media.Original.RelativePath);

        var result = await scenario.RunAsync("--once");

        Assert.True(proxy.Hits > 0);
        Assert.True(result.ExitCode == ExitCodes.CompletedWithFailures, result.ToString());
        scenario.AssertKept(media.Original);
    }

    [Fact]
    public async Task ALocalFileWhoseSizeDiffersFromSynapsesRecordIsKept()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var media = await scenario.AddLocalMediaAsync(size: 10_000, thumbnails: 0, recordSha256: false);
        await scenario.ExecuteAsync("UPDATE local_media_repository SET media_length = 99999 WHERE media_id = @id", ("id", media.MediaId));

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.CompletedWithFailures, result.ToString());
        scenario.AssertKept(media.Original);
        Assert.Null(await scenario.GetObjectAsync(media.Original.RelativePath));
        Assert.Contains("Synapse recorded 99999", result.Output);
    }
}
