using Matrix.MediaJanitor.Hosting;
using Matrix.Tests.MediaJanitor.Infrastructure;

namespace Matrix.Tests.MediaJanitor;

/// <summary>The optional purge of Synapse's remote media cache through its admin API.</summary>
[Collection(JanitorCollection.Name)]
public sealed class RemoteCachePurgeTests(JanitorServers servers)
{
    private const string Token = "syt_YWRtaW4_secretAdminToken_1a2b3c";

    [Fact]
    public async Task ThePurgeIsCalledWithTheCutoffAndTheTokenNeverAppearsInTheOutput()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        await using var synapse = await SynapseAdminStandIn.StartAsync(Token, deleted: 42);
        scenario.Set("Janitor:SynapseAdmin:BaseUrl", synapse.Url)
                .Set("Janitor:SynapseAdmin:AccessToken", Token)
                .Set("Janitor:SynapseAdmin:PurgeRemoteMediaOlderThan", "90d");
        var before = DateTimeOffset.UtcNow.AddDays(-90).ToUnixTimeMilliseconds();

        var result = await scenario.RunAsync("--once");
        var after = DateTimeOffset.UtcNow.AddDays(-90).ToUnixTimeMilliseconds();

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var beforeTs = Assert.Single(synapse.AcceptedBeforeTs);
        Assert.InRange(beforeTs, before, after);
        Assert.Contains("Synapse purged 42 remote media", result.Output);
        Assert.DoesNotContain(Token, result.Output);
        Assert.DoesNotContain("secretAdminToken", result.Output);
    }

    [Fact]
    public async Task ARejectedTokenIsReportedWithoutTheTokenAndFailsTheRun()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        await using var synapse = await SynapseAdminStandIn.StartAsync("the-right-token", deleted: 1);
        scenario.Set("Janitor:SynapseAdmin:BaseUrl", synapse.Url)
                .Set("Janitor:SynapseAdmin:AccessToken", Token)
                .Set("Janitor:SynapseAdmin:PurgeRemoteMediaOlderThan", "30d");
        var media = await scenario.AddLocalMediaAsync(thumbnails: 0);

        var result = await scenario.RunAsync("--once");

        Assert.True(result.ExitCode == ExitCodes.CompletedWithFailures, result.ToString());
        Assert.Contains("purge_media_cache answered 401", result.Output);
        Assert.DoesNotContain("secretAdminToken", result.Output);
        await scenario.AssertOffloadedAsync(media.Original); // the offload itself still ran
    }

    [Fact]
    public async Task ADryRunDoesNotCallThePurge()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        await using var synapse = await SynapseAdminStandIn.StartAsync(Token, deleted: 5);
        scenario.Set("Janitor:SynapseAdmin:BaseUrl", synapse.Url)
                .Set("Janitor:SynapseAdmin:AccessToken", Token)
                .Set("Janitor:SynapseAdmin:PurgeRemoteMediaOlderThan", "30d");

        var result = await scenario.RunAsync("--dry-run");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Equal(0, synapse.Calls);
        Assert.Contains("would ask Synapse to purge remote media", result.Output);
    }
}
