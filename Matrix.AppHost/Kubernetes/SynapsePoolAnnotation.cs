namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// The Synapse pool a process belongs to (a pod label), and whether the pool has several instances, in which case the
/// pool gets one PodDisruptionBudget (at most one instance down at a time during voluntary disruptions).
/// </summary>
public sealed record SynapsePoolAnnotation(string Pool, bool HasSeveralInstances) : IResourceAnnotation
{
    /// <summary>Pod label grouping the instances of one Synapse pool.</summary>
    public const string PoolLabel = "matrix-stack/pool";
}
