using System.Text.RegularExpressions;
using Npgsql;

namespace Matrix.MediaJanitor.Configuration;

/// <summary>Up-front validation: every message names the key to fix and never repeats a secret value.</summary>
public static partial class JanitorOptionsValidator
{
    /// <summary>Storage classes synapse-s3-storage-provider and s3_media_upload accept (Glacier classes could not be served back).</summary>
    public static readonly IReadOnlyList<string> StorageClasses =
        ["STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING"];

    private const long MinimumPartSize = 5L * 1024 * 1024;
    private const long MaximumPartSize = 5L * 1024 * 1024 * 1024;

    public static IReadOnlyList<string> Validate(JanitorOptions o, bool serviceMode)
    {
        var errors = new List<string>();
        const string j = JanitorOptions.SectionName;

        ValidateConnectionString(errors, o.Database.ConnectionString, $"{j}:Database:ConnectionString (or ConnectionStrings:synapse)", required: true);
        ValidateConnectionString(errors, o.Database.StateConnectionString, $"{j}:Database:StateConnectionString", required: false);
        if (!SchemaName().IsMatch(o.Database.StateSchema ?? ""))
        {
            errors.Add($"{j}:Database:StateSchema must be a lowercase SQL identifier (letters, digits, _).");
        }

        if (string.IsNullOrWhiteSpace(o.MediaStore.Path))
        {
            errors.Add($"{j}:MediaStore:Path is required (Synapse's media_store_path).");
        }
        else if (!Directory.Exists(o.MediaStore.Path))
        {
            errors.Add($"{j}:MediaStore:Path '{o.MediaStore.Path}' is not an existing directory.");
        }

        var s3 = o.S3;
        if (string.IsNullOrWhiteSpace(s3.Bucket))
        {
            errors.Add($"{j}:S3:Bucket is required.");
        }
        else if (!BucketName().IsMatch(s3.Bucket))
        {
            errors.Add($"{j}:S3:Bucket '{s3.Bucket}' is not a valid bucket name (3-63 lowercase letters, digits, '.', '-').");
        }
        if (s3.Prefix.StartsWith('/'))
        {
            errors.Add($"{j}:S3:Prefix must not start with '/': keys are prefix + relative path, as in synapse-s3-storage-provider.");
        }
        if (!string.IsNullOrEmpty(s3.ServiceUrl) &&
            (!Uri.TryCreate(s3.ServiceUrl, UriKind.Absolute, out var serviceUri) || serviceUri.Scheme is not ("http" or "https")))
        {
            errors.Add($"{j}:S3:ServiceUrl must be an absolute http:// or https:// URL.");
        }
        if (string.IsNullOrWhiteSpace(s3.Region))
        {
            errors.Add($"{j}:S3:Region is required (any value for servers that ignore it, e.g. us-east-1).");
        }
        if (string.IsNullOrEmpty(s3.AccessKeyId) != string.IsNullOrEmpty(s3.SecretAccessKey))
        {
            errors.Add($"{j}:S3:AccessKeyId and {j}:S3:SecretAccessKey must be set together (or both left empty for the AWS default credential chain).");
        }
        if (!string.IsNullOrEmpty(s3.StorageClass) && !StorageClasses.Contains(s3.StorageClass))
        {
            errors.Add($"{j}:S3:StorageClass must be one of {string.Join(", ", StorageClasses)}.");
        }
        if (s3.MaxRetries is < 0 or > 20)
        {
            errors.Add($"{j}:S3:MaxRetries must be between 0 and 20.");
        }
        if (s3.RequestTimeout.Value <= TimeSpan.Zero)
        {
            errors.Add($"{j}:S3:RequestTimeout must be positive.");
        }

        var off = o.Offload;
        if (off.MinimumAge.Value < TimeSpan.Zero)
        {
            errors.Add($"{j}:Offload:MinimumAge must not be negative.");
        }
        if (off.MinimumFileAge.Value < TimeSpan.Zero)
        {
            errors.Add($"{j}:Offload:MinimumFileAge must not be negative.");
        }
        if (off.Parallelism is < 1 or > 256)
        {
            errors.Add($"{j}:Offload:Parallelism must be between 1 and 256.");
        }
        if (off.MultipartPartSizeBytes is < MinimumPartSize or > MaximumPartSize)
        {
            errors.Add($"{j}:Offload:MultipartPartSizeBytes must be between 5 MiB and 5 GiB (S3's part size limits).");
        }
        if (off.MultipartThresholdBytes < off.MultipartPartSizeBytes)
        {
            errors.Add($"{j}:Offload:MultipartThresholdBytes must be at least {j}:Offload:MultipartPartSizeBytes.");
        }
        if (off.MultipartThresholdBytes > MaximumPartSize)
        {
            errors.Add($"{j}:Offload:MultipartThresholdBytes must be at most 5 GiB (S3's single PUT limit).");
        }
        if (off.PageSize is < 1 or > 10_000)
        {
            errors.Add($"{j}:Offload:PageSize must be between 1 and 10000.");
        }

        var rec = o.Reconciliation;
        if (rec.GracePeriod.Value < TimeSpan.Zero)
        {
            errors.Add($"{j}:Reconciliation:GracePeriod must not be negative.");
        }
        if (rec.MaxOrphanFraction is <= 0 or > 1 || double.IsNaN(rec.MaxOrphanFraction))
        {
            errors.Add($"{j}:Reconciliation:MaxOrphanFraction must be in (0, 1].");
        }

        var admin = o.SynapseAdmin;
        if (admin.PurgeRemoteMediaOlderThan is { } purgeAge)
        {
            if (purgeAge.Value <= TimeSpan.Zero)
            {
                errors.Add($"{j}:SynapseAdmin:PurgeRemoteMediaOlderThan must be positive.");
            }
            if (string.IsNullOrWhiteSpace(admin.BaseUrl) ||
                !Uri.TryCreate(admin.BaseUrl, UriKind.Absolute, out var adminUri) || adminUri.Scheme is not ("http" or "https"))
            {
                errors.Add($"{j}:SynapseAdmin:BaseUrl must be an absolute http:// or https:// URL when {j}:SynapseAdmin:PurgeRemoteMediaOlderThan is set.");
            }
            if (string.IsNullOrWhiteSpace(admin.AccessToken))
            {
                errors.Add($"{j}:SynapseAdmin:AccessToken is required when {j}:SynapseAdmin:PurgeRemoteMediaOlderThan is set.");
            }
        }

        if (o.ProgressInterval.Value <= TimeSpan.Zero)
        {
            errors.Add($"{j}:ProgressInterval must be positive.");
        }
        if (serviceMode && o.Schedule.Interval.Value <= TimeSpan.Zero)
        {
            errors.Add($"{j}:Schedule:Interval must be positive.");
        }
        if (serviceMode && o.Schedule.InitialDelay.Value < TimeSpan.Zero)
        {
            errors.Add($"{j}:Schedule:InitialDelay must not be negative.");
        }
        return errors;
    }

    private static void ValidateConnectionString(List<string> errors, string? value, string key, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add($"{key} is required.");
            }
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

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
