namespace Matrix.Stack.Model;

/// <summary>
/// S3 media storage through synapse-s3-storage-provider (MinIO by default, any S3 endpoint). Credentials are
/// secrets (<c>s3_access_key_id</c>, <c>s3_secret_access_key</c>) and reach Synapse as environment variables.
/// </summary>
public sealed class S3MediaOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The stack's own MinIO (<see cref="StackMinIOEndpoint"/>) unless set to another server.</summary>
    public string Endpoint { get; set; } = StackMinIOEndpoint;

    /// <summary>Where the stack's own MinIO component listens (<see cref="Wiring.ComponentNames.MinIO"/>, MinIO's port).</summary>
    public static readonly string StackMinIOEndpoint = $"http://{Wiring.ComponentNames.MinIO}:{StackMinIOPort}";

    /// <summary>MinIO's S3 port, and its web console's.</summary>
    public const int StackMinIOPort = 9000, StackMinIOConsolePort = 9001;

    /// <summary>True when the stack runs its own MinIO: the endpoint names the MinIO component.</summary>
    public bool UsesStackMinIO =>
        Enabled && Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && uri.Host == Wiring.ComponentNames.MinIO;

    public string Bucket { get; set; } = "synapse-media";

    public string Region { get; set; } = "us-east-1";

    /// <summary>Key prefix inside the bucket; the media janitor uses the same.</summary>
    public string Prefix { get; set; } = "";

    public string? StorageClass { get; set; }

    /// <summary>MinIO and most self-hosted servers need path-style addressing.</summary>
    public bool PathStyle { get; set; } = true;

    /// <summary>
    /// Whether Synapse itself reads and writes the bucket through synapse-s3-storage-provider (its image must carry the
    /// module). Off, only the media janitor copies media to S3 and Synapse cannot serve media it no longer has locally:
    /// for images without the module (Debian's Synapse package has none), never for production.
    /// </summary>
    public bool SynapseStorageProvider { get; set; } = true;
}
