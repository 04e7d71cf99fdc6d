using Matrix.MediaJanitor.Hosting;
using Matrix.Tests.Infrastructure;
using Matrix.Tests.MediaJanitor.Infrastructure;

namespace Matrix.Tests.MediaJanitor;

/// <summary>Safety: credentials come from configuration or the environment and never appear in logs.</summary>
[Collection(JanitorCollection.Name)]
public sealed class SecretsTests(JanitorServers servers)
{
    [Fact]
    public async Task CredentialsFromTheEnvironmentWorkAndAppearInNoOutputEvenOnErrors()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var media = await scenario.AddLocalMediaAsync(thumbnails: 1);
        await using var proxy = await FaultyS3Proxy.StartAsync(servers.S3!.Url);
        proxy.Add(S3Fault.InternalError, "PUT", media.Thumbnails.First().RelativePath);
        const string adminToken = "syt_adminTokenThatMustNotLeak_99";
        // s3rver accepts any secret only with a matching signature: the real secret must travel (env), never be printed.
        var environment = new Dictionary<string, string?>
        {
            ["Janitor:S3:ServiceUrl"] = proxy.Url,
            ["Janitor:S3:AccessKeyId"] = S3rverProcess.AccessKey,
            ["Janitor:S3:SecretAccessKey"] = S3rverProcess.SecretKey,
            ["Janitor:Database:ConnectionString"] = scenario.ConnectionString + ";Password=pg-password-that-must-not-leak",
            ["Janitor:SynapseAdmin:BaseUrl"] = $"http://127.0.0.1:{FreePort.Tcp()}",
            ["Janitor:SynapseAdmin:AccessToken"] = adminToken,
            ["Janitor:SynapseAdmin:PurgeRemoteMediaOlderThan"] = "30d",
            ["Logging:LogLevel:Default"] = "Trace",
        };
        await using var run = scenario.StartProcess(environment, "--once");

        var code = await run.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.True(code == ExitCodes.CompletedWithFailures, $"exit {code}\n{run.Output}");
        await scenario.AssertOffloadedAsync(media.Original);
        scenario.AssertKept(media.Thumbnails.First());
        Assert.Contains("InternalError", run.Output);
        Assert.Contains("remote media cache purge failed", run.Output);
        Assert.DoesNotContain(adminToken, run.Output);
        Assert.DoesNotContain("pg-password-that-must-not-leak", run.Output);
        Assert.DoesNotContain("Authorization", run.Output);
        Assert.DoesNotContain("Credential=" + S3rverProcess.AccessKey, run.Output);
    }

    [Fact]
    public async Task ConfigurationErrorsNameTheKeyButNeverTheSecretValue()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        scenario.Set("Janitor:S3:AccessKeyId", null)
                .Set("Janitor:S3:SecretAccessKey", "a-secret-without-its-key-id")
                .Set("Janitor:Database:ConnectionString", "Host=db;Password=pg-secret;Bogus Setting=1");

        var result = await scenario.RunAsync("--once");

        Assert.Equal(ExitCodes.InvalidConfiguration, result.ExitCode);
        Assert.Contains("Janitor:S3:AccessKeyId and Janitor:S3:SecretAccessKey must be set together", result.Output);
        Assert.Contains("Janitor:Database:ConnectionString (or ConnectionStrings:synapse) is not a valid PostgreSQL connection string", result.Output);
        Assert.DoesNotContain("a-secret-without-its-key-id", result.Output);
        Assert.DoesNotContain("pg-secret", result.Output);
    }
}
