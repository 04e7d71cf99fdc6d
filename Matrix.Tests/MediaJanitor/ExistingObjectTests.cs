using Matrix.MediaJanitor.Hosting;
using Matrix.Tests.MediaJanitor.Infrastructure;

namespace Matrix.Tests.MediaJanitor;

/// <summary>
/// Objects already in S3 (Synapse's storage provider writes every upload there itself) are checked before uploading:
/// an identical copy is recorded and the local file freed without a PUT; a missing or different one is uploaded.
/// </summary>
[Collection(JanitorCollection.Name)]
public sealed class ExistingObjectTests(JanitorServers servers)
{
    [Theory]
    [InlineData("ReadBack")]
    [InlineData("Metadata")]
    public async Task IdenticalCopiesAreNotUploadedAgainAndDifferentOnesAreReplaced(string verification)
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        await using var proxy = await FaultyS3Proxy.StartAsync(servers.S3!.Url);
        scenario.Set("Janitor:S3:ServiceUrl", proxy.Url).Set("Janitor:Offload:Verification", verification);
        var copied = new[]
        {
            await scenario.AddLocalMediaAsync(size: 30_000, thumbnails: 2),
            await scenario.AddLocalMediaAsync(size: 9_000, thumbnails: 1, recordSha256: false),
        };
        var damaged = await scenario.AddLocalMediaAsync(size: 40_000, thumbnails: 1);
        var absent = await scenario.AddLocalMediaAsync(size: 12_000, thumbnails: 1);
        // Written straight to s3rver, past the proxy, with a plain PUT and no metadata: as Synapse's provider writes.
        foreach (var file in copied.SelectMany(m => m.Files))
        {
            await scenario.PutObjectAsync(file.RelativePath, file.Content);
        }
        var truncated = damaged.Original;
        await scenario.PutObjectAsync(truncated.RelativePath, truncated.Content[..(truncated.Content.Length / 2)]);
        var sameSizeOtherBytes = damaged.Thumbnails.Single();
        await scenario.PutObjectAsync(sameSizeOtherBytes.RelativePath, sameSizeOtherBytes.Content.Select(b => (byte)~b).ToArray());

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        foreach (var file in copied.SelectMany(m => m.Files))
        {
            Assert.Equal(0, proxy.CountRequests("PUT", file.RelativePath));
            Assert.True(proxy.CountRequests("HEAD", file.RelativePath) > 0, $"{file.RelativePath} was not checked");
        }
        foreach (var file in damaged.Files.Concat(absent.Files))
        {
            Assert.Equal(1, proxy.CountRequests("PUT", file.RelativePath));
        }
        foreach (var file in copied.Concat([damaged, absent]).SelectMany(m => m.Files))
        {
            await scenario.AssertOffloadedAsync(file);
        }
        Assert.Equal(4, await scenario.ScalarAsync("SELECT count(*) FROM media_janitor.offloaded_media"));
        var uploadedBytes = damaged.Files.Concat(absent.Files).Sum(f => f.Content.Length);
        Assert.Contains($"uploaded:            4 files, ", result.Output);
        Assert.Contains($"({uploadedBytes:N0} bytes); 5 files were already identical in S3 (no upload)", result.Output);
    }
}
