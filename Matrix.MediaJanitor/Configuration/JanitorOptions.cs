using Matrix.ServiceDefaults.Configuration;

namespace Matrix.MediaJanitor.Configuration;

/// <summary>Everything under the <c>Janitor</c> configuration section (appsettings.json, or env such as <c>Janitor__S3__Bucket</c>).</summary>
public sealed class JanitorOptions
{
    public const string SectionName = "Janitor";

    public DatabaseOptions Database { get; set; } = new();

    public MediaStoreOptions MediaStore { get; set; } = new();

    public S3Options S3 { get; set; } = new();

    public OffloadOptions Offload { get; set; } = new();

    public ReconciliationOptions Reconciliation { get; set; } = new();

    public SynapseAdminOptions SynapseAdmin { get; set; } = new();

    public ScheduleOptions Schedule { get; set; } = new();

    /// <summary>How often a progress line is printed while a run works.</summary>
    public Duration ProgressInterval { get; set; } = Duration.FromSeconds(10);

    /// <summary>
    /// What could not be read from configuration (unknown keys, unreadable values), each naming its key; kept for
    /// <see cref="JanitorOptionsValidator"/>, so that start-up reports them with every other problem at once.
    /// </summary>
    internal List<string> ReadProblems { get; } = [];
}

public sealed class DatabaseOptions
{
    /// <summary>Npgsql connection string of Synapse's database. Falls back to <c>ConnectionStrings:synapse</c> (what Aspire injects).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Where the janitor keeps its own state (schema <see cref="StateSchema"/>) and takes its advisory lock.
    /// Empty: Synapse's database.
    /// </summary>
    public string? StateConnectionString { get; set; }

    /// <summary>Schema of the janitor's own tables; never one of Synapse's.</summary>
    public string StateSchema { get; set; } = "media_janitor";
}

public sealed class MediaStoreOptions
{
    /// <summary>Synapse's <c>media_store_path</c>.</summary>
    public string? Path { get; set; }
}

public sealed class S3Options
{
    public string? Bucket { get; set; }

    /// <summary>Same as the storage provider's <c>prefix</c>: prepended verbatim to the media store relative path.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Endpoint of a non-AWS server (MinIO, RustFS, SeaweedFS...). Empty: AWS, by <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    public string Region { get; set; } = "us-east-1";

    /// <summary>Path-style addressing (<c>http://host/bucket/key</c>), what most self-hosted servers need.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>Empty: the SDK's default chain (AWS_ACCESS_KEY_ID, profiles, instance roles).</summary>
    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    public string? StorageClass { get; set; }

    /// <summary>SDK retries of one request before a file is reported failed.</summary>
    public int MaxRetries { get; set; } = 3;

    public Duration RequestTimeout { get; set; } = Duration.FromMinutes(5);
}

public sealed class OffloadOptions
{
    /// <summary>Media whose last access (else creation) is older than this is offloaded.</summary>
    public Duration MinimumAge { get; set; } = Duration.FromDays(30);

    /// <summary>Files written more recently than this are left for a later run (Synapse may still be writing them).</summary>
    public Duration MinimumFileAge { get; set; } = Duration.FromMinutes(15);

    /// <summary>Media processed at once (each streams its files from disk).</summary>
    public int Parallelism { get; set; } = 8;

    public VerificationMode Verification { get; set; } = VerificationMode.ReadBack;

    /// <summary>Files at least this large go up as multipart uploads, read part by part from disk.</summary>
    public long MultipartThresholdBytes { get; set; } = 64L * 1024 * 1024;

    public long MultipartPartSizeBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Rows read from Synapse's tables per query.</summary>
    public int PageSize { get; set; } = 500;

    public bool IncludeLocalMedia { get; set; } = true;

    public bool IncludeRemoteMedia { get; set; } = true;
}

public sealed class ReconciliationOptions
{
    /// <summary>Removes S3 objects whose media row Synapse deleted.</summary>
    public bool Enabled { get; set; }

    /// <summary>How long an object must have been seen without its row before it is deleted.</summary>
    public Duration GracePeriod { get; set; } = Duration.FromDays(7);

    /// <summary>Refuse to delete anything when more than this fraction of the listed objects look orphaned (a wrong database?).</summary>
    public double MaxOrphanFraction { get; set; } = 0.5;
}

public sealed class SynapseAdminOptions
{
    /// <summary>Synapse's client/admin base URL, e.g. http://synapse:8008.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>A server admin's access token. Never logged.</summary>
    public string? AccessToken { get; set; }

    /// <summary>When set, calls <c>purge_media_cache?before_ts=now-this</c> before offloading.</summary>
    public Duration? PurgeRemoteMediaOlderThan { get; set; }
}

public sealed class ScheduleOptions
{
    /// <summary>Service mode: time between the end of one run and the start of the next.</summary>
    public Duration Interval { get; set; } = Duration.FromMinutes(60);

    /// <summary>Service mode: wait before the first run.</summary>
    public Duration InitialDelay { get; set; } = Duration.FromSeconds(0);
}
