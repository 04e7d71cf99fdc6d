namespace Matrix.Stack.Wiring;

/// <summary>
/// The names of the components that have no setting of their own (Synapse processes are named by
/// <c>synapse.hostPrefix</c> and their instance; MAS by <c>mas.host</c>, the databases and Redis instances by their host
/// settings). A component's name is its Aspire resource, its Kubernetes Service and the host the files use.
/// </summary>
public static class ComponentNames
{
    public const string Router = "router";
    public const string MediaJanitor = "media-janitor";
    public const string Coturn = "coturn";
    public const string LiveKit = "livekit";
    public const string LiveKitJwtService = "lk-jwt-service";
    public const string MinIO = "minio";

    /// <summary>s3rver, a local run's S3 stand-in for MinIO (never published).</summary>
    public const string S3rver = "s3rver";
    public const string ElementWeb = "element-web";
    public const string SynapseAdmin = "synapse-admin";

    /// <summary>Synapse's database on the deployment's PostgreSQL; the media janitor reads <c>ConnectionStrings:synapse</c>.</summary>
    public const string SynapseDatabase = "synapse";
}
