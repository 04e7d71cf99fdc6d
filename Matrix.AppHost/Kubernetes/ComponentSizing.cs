using Matrix.Stack.Catalog;

namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// Kubernetes requests and limits per component. No CPU limits: throttling a Python reactor hurts latency more than
/// sharing a core does. Synapse figures follow the pool's load profile (sync and persistence are the heavy ones).
/// (A deployment decision that needs no Aspire: it should move into Matrix.Stack next to the worker catalog.)
/// </summary>
public sealed record ComponentSizing(string CpuRequest, string MemoryRequest, string MemoryLimit)
{
    public static readonly ComponentSizing Postgres = new("1", "2Gi", "8Gi");
    public static readonly ComponentSizing Redis = new("100m", "128Mi", "512Mi");
    public static readonly ComponentSizing MinIO = new("250m", "512Mi", "2Gi");
    public static readonly ComponentSizing Router = new("250m", "256Mi", "1Gi");
    public static readonly ComponentSizing MediaJanitor = new("100m", "256Mi", "1Gi");
    public static readonly ComponentSizing Coturn = new("250m", "128Mi", "512Mi");
    public static readonly ComponentSizing LiveKit = new("1", "512Mi", "2Gi");
    public static readonly ComponentSizing LiveKitJwtService = new("50m", "32Mi", "128Mi");
    public static readonly ComponentSizing Mas = new("250m", "256Mi", "1Gi");
    public static readonly ComponentSizing StaticWeb = new("50m", "32Mi", "128Mi");

    public static ComponentSizing ForPool(PoolType pool) => pool switch
    {
        PoolType.Main => new("1", "1Gi", "4Gi"),
        PoolType.Synchrotron or PoolType.InitialSynchrotron => new("1", "1Gi", "3Gi"),
        PoolType.EventPersister or PoolType.ClientReader or PoolType.FederationSender => new("500m", "768Mi", "2Gi"),
        PoolType.MediaRepository => new("500m", "512Mi", "2Gi"),
        _ => new("250m", "384Mi", "1Gi"),
    };
}
