using Matrix.MediaJanitor.Configuration;
using Matrix.MediaJanitor.Hosting;
using Matrix.ServiceDefaults.Configuration;
using Matrix.Tests.MediaJanitor.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Matrix.Tests.MediaJanitor;

/// <summary>Configuration is validated up front; each error names the key to fix.</summary>
public sealed class ConfigurationTests
{
    private static Dictionary<string, string?> Valid() => new()
    {
        ["Janitor:Database:ConnectionString"] = "Host=127.0.0.1;Database=synapse;Username=synapse",
        ["Janitor:MediaStore:Path"] = Path.GetTempPath(),
        ["Janitor:S3:Bucket"] = "synapse-media",
    };

    /// <summary>The options as the janitor's host resolves them: registered by <c>AddMediaJanitor</c>, validated on first use.</summary>
    private static (JanitorOptions? Options, IReadOnlyList<string> Errors) Load(Dictionary<string, string?> settings, bool service = false)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddMediaJanitor(service).BuildServiceProvider();
        try
        {
            return (provider.GetRequiredService<JanitorOptions>(), []);
        }
        catch (OptionsValidationException e)
        {
            return (null, e.Failures.ToList());
        }
    }

    [Fact]
    public void AMinimalConfigurationLoadsWithSafeDefaults()
    {
        var (options, errors) = Load(Valid());

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromDays(30), options!.Offload.MinimumAge.Value);
        Assert.Equal(VerificationMode.ReadBack, options.Offload.Verification);
        Assert.False(options.Reconciliation.Enabled);
        Assert.Equal("media_janitor", options.Database.StateSchema);
    }

    [Theory]
    [InlineData("Janitor:S3:Bucket", "", "Janitor:S3:Bucket is required")]
    [InlineData("Janitor:S3:Bucket", "Bad_Bucket", "Janitor:S3:Bucket 'Bad_Bucket' is not a valid bucket name")]
    [InlineData("Janitor:S3:Prefix", "/media/", "Janitor:S3:Prefix must not start with '/'")]
    [InlineData("Janitor:S3:ServiceUrl", "minio:9000", "Janitor:S3:ServiceUrl must be an absolute")]
    [InlineData("Janitor:S3:StorageClass", "GLACIER", "Janitor:S3:StorageClass must be one of")]
    [InlineData("Janitor:Offload:Parallelism", "0", "Janitor:Offload:Parallelism must be between 1 and 256")]
    [InlineData("Janitor:Offload:MultipartPartSizeBytes", "1024", "Janitor:Offload:MultipartPartSizeBytes must be between 5 MiB and 5 GiB")]
    [InlineData("Janitor:Reconciliation:MaxOrphanFraction", "0", "Janitor:Reconciliation:MaxOrphanFraction must be in (0, 1]")]
    [InlineData("Janitor:MediaStore:Path", "/no/such/media/store", "Janitor:MediaStore:Path '/no/such/media/store' is not an existing directory")]
    [InlineData("Janitor:SynapseAdmin:PurgeRemoteMediaOlderThan", "30d", "Janitor:SynapseAdmin:BaseUrl must be an absolute")]
    [InlineData("Janitor:Database:StateSchema", "Media-Janitor", "Janitor:Database:StateSchema must be a lowercase SQL identifier")]
    public void EachInvalidSettingIsReportedByItsKey(string key, string value, string expected)
    {
        var settings = Valid();
        settings[key] = value;

        var (options, errors) = Load(settings);

        Assert.Null(options);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Janitor:Offload:MinimumAge", "seven days", "Janitor:Offload:MinimumAge")]
    [InlineData("Janitor:Offload:Parallelism", "many", "Janitor:Offload:Parallelism")]
    [InlineData("Janitor:S3:Buckett", "typo", "Buckett")]
    public void UnparsableValuesAndUnknownKeysAreReportedByKey(string key, string value, string expected)
    {
        var settings = Valid();
        settings[key] = value;

        var (options, errors) = Load(settings);

        Assert.Null(options);
        Assert.Contains(expected, Assert.Single(errors));
        Assert.DoesNotContain(value == "typo" ? "\u0000" : value, errors[0].Replace(key, ""));
    }

    [Theory]
    [InlineData("7d", 7 * 24 * 60)]
    [InlineData("36h", 36 * 60)]
    [InlineData("15m", 15)]
    [InlineData("1.12:00:00", 36 * 60)]
    public void DurationsAcceptTheShortFormsAndTimeSpans(string text, int minutes)
    {
        Assert.True(Duration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMinutes(minutes), duration.Value);
    }

    [Theory]
    [InlineData("30s")]
    [InlineData("00:00:30")]
    [InlineData("30")]
    [InlineData("0.5m")]
    public void DurationSettingsAreReadInTheFormatEveryExecutableShares(string text)
    {
        var settings = Valid();
        settings["Janitor:Schedule:Interval"] = text;
        settings["Janitor:Offload:MinimumFileAge"] = text;

        var (options, errors) = Load(settings, service: true);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(30), options!.Schedule.Interval.Value);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Offload.MinimumFileAge.Value);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnceEachNamingItsKey()
    {
        var settings = Valid();
        settings["Janitor:Offload:MinimumAge"] = "a month";
        settings["Janitor:Offload:Paralelism"] = "4";
        settings["Janitor:Offload:PageSize"] = "0";
        settings["Janitor:S3:Bucket"] = "";

        var (_, errors) = Load(settings);

        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Janitor:Offload:MinimumAge: cannot be read: expected a duration", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Janitor:Offload:Paralelism: unknown setting", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Janitor:Offload:PageSize must be between", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Janitor:S3:Bucket is required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheServiceRefusesToStartNamingABadScheduleWhichASingleRunDoesNotUse()
    {
        var settings = Valid();
        settings["Janitor:Schedule:Interval"] = "0s";
        settings["Janitor:Offload:Parallelism"] = "300";
        var logs = new CapturingLoggerProvider();

        var code = await JanitorApplication.RunAsync([], b => b.AddInMemoryCollection(settings), logs, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidConfiguration, code);
        Assert.Contains("Janitor:Schedule:Interval must be positive", logs.Text);
        Assert.Contains("Janitor:Offload:Parallelism must be between 1 and 256", logs.Text);
        Assert.Contains("nothing was done", logs.Text);
        settings.Remove("Janitor:Offload:Parallelism");
        Assert.Empty(Load(settings, service: false).Errors);
    }

    [Fact]
    public void TheConnectionStringFallsBackToTheAspireConnectionStringsEntry()
    {
        var settings = Valid();
        settings.Remove("Janitor:Database:ConnectionString");
        settings["ConnectionStrings:synapse"] = "Host=postgres;Database=synapse";

        var (options, errors) = Load(settings);

        Assert.Empty(errors);
        Assert.Equal("Host=postgres;Database=synapse", options!.Database.ConnectionString);
    }

    [Fact]
    public async Task TheProcessExitsWithCodeTwoAndNamesEveryMissingKey()
    {
        var logs = new CapturingLoggerProvider();

        var code = await JanitorApplication.RunAsync(["--once"], b => b.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Janitor:Offload:Parallelism"] = "4",
        }), logs, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.InvalidConfiguration, code);
        Assert.Contains("Janitor:S3:Bucket is required", logs.Text);
        Assert.Contains("Janitor:MediaStore:Path is required", logs.Text);
        Assert.Contains("nothing was done", logs.Text);
    }

    [Fact]
    public async Task AnUnknownArgumentExitsWithCodeTwo()
    {
        Assert.Equal(ExitCodes.InvalidConfiguration, await JanitorApplication.RunAsync(["--once", "--frobnicate"], ct: TestContext.Current.CancellationToken));
    }
}
