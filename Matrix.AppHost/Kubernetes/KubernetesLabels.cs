namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// Pod labels. Every workload's pods carry <see cref="Name"/> = the resource name, and its Service selects exactly that
/// one label, so a Service always selects the pods of exactly one workload. Synapse pods also carry their pool
/// (<see cref="SynapsePoolAnnotation.PoolLabel"/>), which the pool's PodDisruptionBudget selects.
/// </summary>
public static class KubernetesLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string Stack = "matrix-stack";

    public static Dictionary<string, string> Selector(IResource resource) => new(StringComparer.Ordinal) { [Name] = resource.Name };

    public static Dictionary<string, string> Of(IResource resource)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [Name] = resource.Name, [PartOf] = Stack };
        if (resource.Annotations.OfType<SynapsePoolAnnotation>().LastOrDefault() is { } pool)
        {
            labels[SynapsePoolAnnotation.PoolLabel] = pool.Pool;
        }
        return labels;
    }
}
