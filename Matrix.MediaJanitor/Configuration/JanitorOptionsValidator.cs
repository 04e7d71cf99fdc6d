using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Matrix.MediaJanitor.Configuration;

/// <summary>
/// Checks <see cref="JanitorOptions"/> before anything runs (registered with <c>ValidateOnStart</c>), shaped like
/// YARP's <c>ConfigValidator</c>: one check per section, each adding to one list, so every problem is reported at once.
/// Every message names the key to fix and never repeats a secret value. Problems found while reading come first.
/// </summary>
/// <param name="serviceMode">The schedule matters only to the long-running service.</param>
public sealed partial class JanitorOptionsValidator(bool serviceMode) : IValidateOptions<JanitorOptions>
{
    /// <summary>Storage classes synapse-s3-storage-provider and s3_media_upload accept (Glacier classes could not be served back).</summary>
    public static readonly IReadOnlyList<string> StorageClasses =
        ["STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING"];

    private const string J = JanitorOptions.SectionName;
    private const long MinimumPartSize = 5L * 1024 * 1024;
    private const long MaximumPartSize = 5L * 1024 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, JanitorOptions options)
    {
        var errors = new List<string>(options.ReadProblems);
        ValidateDatabase(errors, options.Database);
        ValidateMediaStore(errors, options.MediaStore);
        ValidateS3(errors, options.S3);
        ValidateOffload(errors, options.Offload);
        ValidateReconciliation(errors, options.Reconciliation);
        ValidateSynapseAdmin(errors, options.SynapseAdmin);
        Reject(errors, options.ProgressInterval.Value <= TimeSpan.Zero, $"{J}:ProgressInterval must be positive.");
        if (serviceMode)
        {
            ValidateSchedule(errors, options.Schedule);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateDatabase(List<string> errors, DatabaseOptions database)
    {
        ValidateConnectionString(errors, database.ConnectionString, $"{J}:Database:ConnectionString (or ConnectionStrings:synapse)", required: true);
        ValidateConnectionString(errors, database.StateConnectionString, $"{J}:Database:StateConnectionString", required: false);
        Reject(errors, !SchemaName().IsMatch(database.StateSchema ?? ""),
            $"{J}:Database:StateSchema must be a lowercase SQL identifier (letters, digits, _).");
    }

    private static void ValidateMediaStore(List<string> errors, MediaStoreOptions mediaStore)
    {
        if (string.IsNullOrWhiteSpace(mediaStore.Path))
        {
            errors.Add($"{J}:MediaStore:Path is required (Synapse's media_store_path).");
        }
        else if (!Directory.Exists(mediaStore.Path))
        {
            errors.Add($"{J}:MediaStore:Path '{mediaStore.Path}' is not an existing directory.");
        }
    }

    private static void ValidateS3(List<string> errors, S3Options s3)
    {
        if (string.IsNullOrWhiteSpace(s3.Bucket))
        {
            errors.Add($"{J}:S3:Bucket is required.");
        }
        else if (!BucketName().IsMatch(s3.Bucket))
        {
            errors.Add($"{J}:S3:Bucket '{s3.Bucket}' is not a valid bucket name (3-63 lowercase letters, digits, '.', '-').");
        }
        Reject(errors, s3.Prefix.StartsWith('/'),
            $"{J}:S3:Prefix must not start with '/': keys are prefix + relative path, as in synapse-s3-storage-provider.");
        Reject(errors, !string.IsNullOrEmpty(s3.ServiceUrl) && !IsHttpUrl(s3.ServiceUrl),
            $"{J}:S3:ServiceUrl must be an absolute http:// or https:// URL.");
        Reject(errors, string.IsNullOrWhiteSpace(s3.Region),
            $"{J}:S3:Region is required (any value for servers that ignore it, e.g. us-east-1).");
        Reject(errors, string.IsNullOrEmpty(s3.AccessKeyId) != string.IsNullOrEmpty(s3.SecretAccessKey),
            $"{J}:S3:AccessKeyId and {J}:S3:SecretAccessKey must be set together (or both left empty for the AWS default credential chain).");
        Reject(errors, !string.IsNullOrEmpty(s3.StorageClass) && !StorageClasses.Contains(s3.StorageClass),
            $"{J}:S3:StorageClass must be one of {string.Join(", ", StorageClasses)}.");
        Reject(errors, s3.MaxRetries is < 0 or > 20, $"{J}:S3:MaxRetries must be between 0 and 20.");
        Reject(errors, s3.RequestTimeout.Value <= TimeSpan.Zero, $"{J}:S3:RequestTimeout must be positive.");
    }

    private static void ValidateOffload(List<string> errors, OffloadOptions offload)
    {
        Reject(errors, offload.MinimumAge.Value < TimeSpan.Zero, $"{J}:Offload:MinimumAge must not be negative.");
        Reject(errors, offload.MinimumFileAge.Value < TimeSpan.Zero,
            $"{J}:Offload:MinimumFileAge must not be negative.");
        Reject(errors, offload.Parallelism is < 1 or > 256, $"{J}:Offload:Parallelism must be between 1 and 256.");
        Reject(errors, offload.MultipartPartSizeBytes is < MinimumPartSize or > MaximumPartSize,
            $"{J}:Offload:MultipartPartSizeBytes must be between 5 MiB and 5 GiB (S3's part size limits).");
        Reject(errors, offload.MultipartThresholdBytes < offload.MultipartPartSizeBytes,
            $"{J}:Offload:MultipartThresholdBytes must be at least {J}:Offload:MultipartPartSizeBytes.");
        Reject(errors, offload.MultipartThresholdBytes > MaximumPartSize,
            $"{J}:Offload:MultipartThresholdBytes must be at most 5 GiB (S3's single PUT limit).");
        Reject(errors, offload.PageSize is < 1 or > 10_000, $"{J}:Offload:PageSize must be between 1 and 10000.");
    }

    private static void ValidateReconciliation(List<string> errors, ReconciliationOptions reconciliation)
    {
        Reject(errors, reconciliation.GracePeriod.Value < TimeSpan.Zero,
            $"{J}:Reconciliation:GracePeriod must not be negative.");
        Reject(errors, reconciliation.MaxOrphanFraction is <= 0 or > 1 || double.IsNaN(reconciliation.MaxOrphanFraction),
            $"{J}:Reconciliation:MaxOrphanFraction must be in (0, 1].");
    }

    private static void ValidateSynapseAdmin(List<string> errors, SynapseAdminOptions admin)
    {
        if (admin.PurgeRemoteMediaOlderThan is not { } purgeAge)
        {
            return;
        }
        Reject(errors, purgeAge.Value <= TimeSpan.Zero,
            $"{J}:SynapseAdmin:PurgeRemoteMediaOlderThan must be positive.");
        Reject(errors, string.IsNullOrWhiteSpace(admin.BaseUrl) || !IsHttpUrl(admin.BaseUrl),
            $"{J}:SynapseAdmin:BaseUrl must be an absolute http:// or https:// URL when {J}:SynapseAdmin:PurgeRemoteMediaOlderThan is set.");
        Reject(errors, string.IsNullOrWhiteSpace(admin.AccessToken),
            $"{J}:SynapseAdmin:AccessToken is required when {J}:SynapseAdmin:PurgeRemoteMediaOlderThan is set.");
    }

    private static void ValidateSchedule(List<string> errors, ScheduleOptions schedule)
    {
        Reject(errors, schedule.Interval.Value <= TimeSpan.Zero, $"{J}:Schedule:Interval must be positive.");
        Reject(errors, schedule.InitialDelay.Value < TimeSpan.Zero, $"{J}:Schedule:InitialDelay must not be negative.");
    }

    private static void ValidateConnectionString(List<string> errors, string? value, string key, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Reject(errors, required, $"{key} is required.");
            return;
        }
        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException)
        {
            // The value may hold a password: name the key only.
            errors.Add($"{key} is not a valid PostgreSQL connection string.");
        }
    }

    // One rule: the problem is reported when its bad condition holds.
    private static void Reject(List<string> errors, bool bad, string problem)
    {
        if (bad)
        {
            errors.Add(problem);
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
