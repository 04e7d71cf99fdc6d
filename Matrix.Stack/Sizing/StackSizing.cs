using Matrix.Stack.Catalog;
using Matrix.Stack.Model;

namespace Matrix.Stack.Sizing;

/// <summary>
/// Requests and limits per component for a layout. A layout with workers gets <see cref="Standard"/>: Synapse figures
/// follow each pool's load profile (sync and persistence are the heavy ones). A layout without workers (the
/// <c>monolith</c> preset) is the small deployment, sized by <see cref="SingleNode"/> so that all of it is schedulable
/// on one node of 2 CPU and 4 GiB (docs/kubernetes.md, "Sizing").
/// </summary>
public sealed class StackSizing
{
    public static readonly StackSizing Standard = new()
    {
        Postgres = new("1", "2Gi", "8Gi"),
        Redis = new("100m", "128Mi", "512Mi"),
        MinIO = new("250m", "512Mi", "2Gi"),
        Router = new("250m", "256Mi", "1Gi"),
        MediaJanitor = new("100m", "256Mi", "1Gi"),
        Coturn = new("250m", "128Mi", "512Mi"),
        LiveKit = new("1", "512Mi", "2Gi"),
        LiveKitJwtService = new("50m", "32Mi", "128Mi"),
        Mas = new("250m", "256Mi", "1Gi"),
        StaticWeb = new("50m", "32Mi", "128Mi"),
        OneShot = new("50m", "32Mi", "128Mi"),
        Pools = pool => pool switch
        {
            PoolType.Main => new("1", "1Gi", "4Gi"),
            PoolType.Synchrotron or PoolType.InitialSynchrotron => new("1", "1Gi", "3Gi"),
            PoolType.EventPersister or PoolType.ClientReader or PoolType.FederationSender => new("500m", "768Mi", "2Gi"),
            PoolType.MediaRepository => new("500m", "512Mi", "2Gi"),
            _ => new("250m", "384Mi", "1Gi"),
        },
    };

    /// <summary>
    /// One small node (2 CPU, 4 GiB; about 1.9 CPU and 3.4 GiB allocatable once the kubelet and system reserve theirs):
    /// the requests are what a small server idles at, the limits leave room for bursts (the node is overcommitted on
    /// limits, never on requests).
    /// </summary>
    public static readonly StackSizing SingleNode = new()
    {
        Postgres = new("250m", "512Mi", "2Gi"),
        Redis = new("50m", "64Mi", "256Mi"),
        MinIO = new("100m", "256Mi", "1Gi"),
        Router = new("100m", "128Mi", "512Mi"),
        MediaJanitor = new("50m", "128Mi", "512Mi"),
        Coturn = new("50m", "64Mi", "256Mi"),
        LiveKit = new("250m", "256Mi", "1Gi"),
        LiveKitJwtService = new("25m", "32Mi", "128Mi"),
        Mas = new("100m", "128Mi", "512Mi"),
        StaticWeb = new("25m", "32Mi", "128Mi"),
        OneShot = new("50m", "32Mi", "128Mi"),
        Pools = pool => pool == PoolType.Main ? new("500m", "1Gi", "3Gi") : Standard.ForPool(pool),
    };

    public required ComponentSizing Postgres { get; init; }

    public required ComponentSizing Redis { get; init; }

    public required ComponentSizing MinIO { get; init; }

    public required ComponentSizing Router { get; init; }

    public required ComponentSizing MediaJanitor { get; init; }

    public required ComponentSizing Coturn { get; init; }

    public required ComponentSizing LiveKit { get; init; }

    public required ComponentSizing LiveKitJwtService { get; init; }

    public required ComponentSizing Mas { get; init; }

    /// <summary>Element Web and Synapse Admin: nginx serving files.</summary>
    public required ComponentSizing StaticWeb { get; init; }

    /// <summary>A process that runs once and exits (the bucket creation).</summary>
    public required ComponentSizing OneShot { get; init; }

    private Func<PoolType, ComponentSizing> Pools { get; init; } = null!;

    public ComponentSizing ForPool(PoolType pool) => Pools(pool);

    /// <summary>The sizing of the layout <paramref name="options"/> describes.</summary>
    public static StackSizing For(StackOptions options) =>
        options.Workers.Any(worker => worker.Key != PoolType.Main && worker.Value > 0) ? Standard : SingleNode;
}
