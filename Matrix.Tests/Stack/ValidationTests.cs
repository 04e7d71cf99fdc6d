using Matrix.Stack.Catalog;
using Matrix.Stack.Model;
using Matrix.Stack.Presets;
using Matrix.Stack.Secrets;
using Matrix.Stack.Settings;
using Matrix.Stack.Validation;

namespace Matrix.Tests.Stack;

public class ValidationTests
{
    private static IReadOnlyList<ValidationProblem> ValidateWith(string preset, params string[] assignments)
    {
        var options = StackPresets.Create(preset);
        var settingProblems = StackSettings.Apply(options, assignments.Select(a => StackSettings.ParseAssignment(a)!.Value));
        Assert.Empty(settingProblems);
        return StackValidator.Validate(options, StackSecretsFixture.All());
    }

    [Theory]
    [InlineData("monolith")]
    [InlineData("one-of-each")]
    [InlineData("specialized")]
    [InlineData("large")]
    [InlineData("full")]
    public void EveryPresetIsValid(string preset) => Assert.Empty(ValidateWith(preset));

    [Theory]
    [InlineData("Example.org", "lower case")]
    [InlineData("https://example.org", "not a valid host name")]
    [InlineData("exa mple.org", "not a valid host name")]
    [InlineData("example.org:99999", "port from 1 to 65535")]
    [InlineData("example.org:", "port from 1 to 65535")]
    [InlineData("[::1", "never closes")]
    [InlineData("-example.org", "not a valid host name")]
    public void InvalidServerNamesAreRejected(string serverName, string expected)
    {
        var problem = Assert.Single(ValidateWith("monolith", $"serverName={serverName}"));
        Assert.Equal("serverName", problem.Setting);
        Assert.Contains(expected, problem.Message);
    }

    [Theory]
    [InlineData("example.org")]
    [InlineData("localhost:8080")]
    [InlineData("1.2.3.4:8448")]
    [InlineData("[1234:5678::abcd]:8448")]
    public void ValidServerNamesAreAccepted(string serverName) => Assert.Empty(ValidateWith("monolith", $"serverName={serverName}"));

    [Theory]
    [InlineData("typing", "typing")]
    [InlineData("to-device", "to_device")]
    [InlineData("account-data", "account_data")]
    [InlineData("presence", "presence")]
    [InlineData("push-rules", "push_rules")]
    public void SingleWriterStreamsRefuseTwoWriters(string pool, string stream)
    {
        var problem = Assert.Single(ValidateWith("full", $"workers.{pool}=2"));
        Assert.Equal($"workers.{pool}", problem.Setting);
        Assert.Contains($"only one writer for the {stream} stream", problem.Message);
    }

    [Theory]
    [InlineData("event-persister")]
    [InlineData("receipts")]
    [InlineData("device-lists")]
    public void MultiWriterStreamsAcceptSeveralWriters(string pool) => Assert.Empty(ValidateWith("full", $"workers.{pool}=3"));

    [Theory]
    [InlineData("user-dir")]
    [InlineData("background")]
    [InlineData("appservice")]
    [InlineData("sso-login")]
    public void SingleInstancePoolsRefuseTwo(string pool)
    {
        var problem = Assert.Single(ValidateWith("full", $"workers.{pool}=2"));
        Assert.Equal($"workers.{pool}", problem.Setting);
    }

    [Fact]
    public void MissingMainIsReported()
    {
        var problem = Assert.Single(ValidateWith("large", "workers.main=0"));
        Assert.Equal("workers.main", problem.Setting);
        Assert.Contains("missing", problem.Message);
    }

    [Fact]
    public void TwoMainsAreReported() => Assert.Equal("workers.main", Assert.Single(ValidateWith("monolith", "workers.main=2")).Setting);

    [Fact]
    public void TwoProcessesOnOnePortAreReported()
    {
        var problem = Assert.Single(ValidateWith("specialized", "synapse.instanceHost=localhost", "ports.client-reader-1.http=8008"));
        Assert.Equal("ports.client-reader-1.http", problem.Setting);
        Assert.Contains("already used by main (http)", problem.Message);
    }

    [Fact]
    public void SharedHostLayoutsGetDistinctPortsByDefault() => Assert.Empty(ValidateWith("large", "synapse.instanceHost=localhost"));

    [Fact]
    public void MediaPoolWithoutBackgroundJobsInstanceIsReported()
    {
        var problem = Assert.Single(ValidateWith("large", "synapse.mediaBackgroundJobsInstance="));
        Assert.Equal("synapse.mediaBackgroundJobsInstance", problem.Setting);
        Assert.Contains("media-repository-1, media-repository-2", problem.Message);
    }

    [Fact]
    public void MediaBackgroundJobsInstanceMustBeAMediaWorker()
    {
        var problem = Assert.Single(ValidateWith("large", "synapse.mediaBackgroundJobsInstance=synchrotron-1"));
        Assert.Equal("synapse.mediaBackgroundJobsInstance", problem.Setting);
    }

    [Theory]
    [InlineData(SecretName.MacaroonSecretKey)]
    [InlineData(SecretName.PostgresPassword)]
    [InlineData(SecretName.TurnSharedSecret)]
    [InlineData(SecretName.LiveKitApiSecret)]
    [InlineData(SecretName.S3SecretAccessKey)]
    [InlineData(SecretName.WorkerReplicationSecret)]
    public void EmptySecretIsReportedByName(string secret)
    {
        var values = SecretName.All.ToDictionary(n => n, n => n == secret ? "  " : n == SecretName.SigningKey ? TestSigningKey.Value : "value");
        var problem = Assert.Single(StackValidator.Validate(StackPresets.Create("full"), new StackSecrets(values)));
        Assert.Equal($"secrets.{secret}", problem.Setting);
        Assert.Contains(StackSecrets.EnvironmentVariable(secret), problem.Message);
        Assert.DoesNotContain("value", problem.Message);
    }

    [Fact]
    public void SecretsOfDisabledComponentsAreNotRequired()
    {
        var options = StackPresets.Create("monolith");
        StackSettings.Apply(options, [new("coturn.enabled", "false"), new("livekit.enabled", "false"), new("s3.enabled", "false")]);
        var required = SecretName.RequiredFor(options);
        Assert.DoesNotContain(SecretName.TurnSharedSecret, required);
        Assert.DoesNotContain(SecretName.LiveKitApiKey, required);
        Assert.DoesNotContain(SecretName.S3AccessKeyId, required);
        Assert.DoesNotContain(SecretName.WorkerReplicationSecret, required);
        Assert.Contains(SecretName.MacaroonSecretKey, required);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var options = StackPresets.Create("large");
        StackSettings.Apply(options, [new("serverName", "BAD"), new("workers.typing", "2"), new("workers.main", "0"), new("synapse.mediaBackgroundJobsInstance", "")]);
        var problems = StackValidator.Validate(options, StackSecretsFixture.AllBut(SecretName.FormSecret));
        Assert.Equal(
            ["serverName", "workers.main", "workers.typing", "synapse.mediaBackgroundJobsInstance", "secrets.form_secret"],
            problems.Select(p => p.Setting).ToArray());
        var exception = Assert.Throws<StackValidationException>(() => StackValidator.EnsureValid(options, StackSecretsFixture.AllBut(SecretName.FormSecret)));
        Assert.Equal(5, exception.Problems.Count);
    }

    [Fact]
    public void LiveKitMustNotShareSynapsesRedis()
    {
        var problem = Assert.Single(ValidateWith("monolith", "livekit.redisHost=redis", "livekit.redisPort=6379"));
        Assert.Equal("livekit.redisHost", problem.Setting);
    }

    [Fact]
    public void MatrixDeploymentRefusesInvalidOptions()
    {
        var options = StackPresets.Create("full");
        options.Workers[PoolType.Presence] = 2;
        Assert.Throws<StackValidationException>(() => MatrixDeployment.Create(options));
    }

    [Theory]
    [InlineData("coturn.listenAddress=turn.example.org", "coturn.listenAddress")]
    [InlineData("coturn.realm=two words", "coturn.realm")]
    public void CoturnSettingsThatCannotStandInItsConfigAreNamed(string assignment, string setting) =>
        Assert.Equal(setting, Assert.Single(ValidateWith("monolith", assignment)).Setting);

    [Fact]
    public void ATurnSecretCoturnWouldMisreadIsNamedWithoutItsValue()
    {
        var values = SecretName.All.ToDictionary(n => n, n => n == SecretName.TurnSharedSecret ? "has \"quote\" and blank" : n == SecretName.SigningKey ? TestSigningKey.Value : "value");
        var problem = Assert.Single(StackValidator.Validate(StackPresets.Create("monolith"), new StackSecrets(values)));
        Assert.Equal("secrets.turn_shared_secret", problem.Setting);
        Assert.DoesNotContain("quote", problem.Message);
    }
}
