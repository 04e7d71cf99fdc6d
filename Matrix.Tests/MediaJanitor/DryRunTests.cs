using Matrix.MediaJanitor.Hosting;
using Matrix.Tests.MediaJanitor.Infrastructure;

namespace Matrix.Tests.MediaJanitor;

/// <summary>--dry-run prints what would happen, with counts and bytes, and changes nothing anywhere.</summary>
[Collection(JanitorCollection.Name)]
public sealed class DryRunTests(JanitorServers servers)
{
    [Fact]
    public async Task ADryRunReportsCountsAndBytesAndChangesNothing()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        scenario.Set("Janitor:Reconciliation:Enabled", "true");
        var media = await scenario.AddLocalMediaAsync(size: 10_000, thumbnails: 2);
        var remote = await scenario.AddRemoteMediaAsync(size: 5_000, thumbnails: 0);
        await scenario.PutObjectAsync("local_content/zz/zz/orphanorphanorphanor", [1, 2, 3]);
        var files = media.Files.Concat(remote.Files).ToList();
        var bytes = files.Sum(f => (long)f.Content.Length);
        var keysBefore = await scenario.ListKeysAsync();

        var result = await scenario.RunAsync("--dry-run");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains($"would offload:         4 files", result.Output);
        Assert.Contains($"({bytes:N0} bytes)", result.Output);
        Assert.Contains("orphan local_content/zz/zz/orphanorphanorphanor", result.Output);
        foreach (var file in files)
        {
            scenario.AssertKept(file);
        }
        Assert.Equal(keysBefore, await scenario.ListKeysAsync());
        Assert.Equal(0, await scenario.ScalarAsync("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'media_janitor'"));
    }
}
