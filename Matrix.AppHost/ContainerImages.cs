namespace Matrix.AppHost;

/// <summary>
/// Every third-party image of the stack, pinned. One place, so an upgrade is one reviewed change.
/// (The tags are choices of this AppHost; a run on a machine with a container runtime confirms they exist.)
/// </summary>
public static class ContainerImages
{
    public sealed record Image(string Registry, string Name, string Tag)
    {
        public string Reference => $"{Registry}/{Name}:{Tag}";
    }

    /// <summary>Synapse; the Synapse config schema in ../shared is from this release.</summary>
    public static readonly Image Synapse = new("docker.io", "matrixdotorg/synapse", "v1.157.1");

    /// <summary>synapse-s3-storage-provider, installed into the Synapse image by <c>Synapse/synapse-s3.Dockerfile</c>.</summary>
    public const string S3StorageProviderVersion = "v1.5.0";

    /// <summary>MinIO, the default S3 endpoint. The image also carries the <c>mc</c> client that creates the bucket.</summary>
    public static readonly Image MinIO = new("quay.io", "minio/minio", "RELEASE.2025-04-22T22-12-26Z");

    public static readonly Image LiveKit = new("docker.io", "livekit/livekit-server", "v1.9.1");

    public static readonly Image LiveKitJwtService = new("ghcr.io", "element-hq/lk-jwt-service", "0.3.0");

    public static readonly Image Coturn = new("docker.io", "coturn/coturn", "4.6.3");

    public static readonly Image ElementWeb = new("docker.io", "vectorim/element-web", "v1.11.100");

    public static readonly Image SynapseAdmin = new("docker.io", "awesometechnologies/synapse-admin", "0.11.1");
}
