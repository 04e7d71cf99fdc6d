namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// Pod labels. Every workload's pods carry <see cref="Name"/> = the resource name, and its Service selects exactly that
/// one label, so a Service always selects the pods of exactly one workload. Synapse pods also carry their pool
/// (<see cref="Pool"/>), which the pool's PodDisruptionBudget selects.
/// </summary>
public static class KubernetesLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string Stack = "matrix-stack";

    /// <summary>Pod label grouping the processes of one Synapse pool.</summary>
    public const string Pool = "matrix-stack/pool";

    public static Dictionary<string, string> Selector(IResource resource) => new(StringComparer.Ordinal) { [Name] = resource.Name };

    public static Dictionary<string, string> Of(IResource resource) =>
        new(StringComparer.Ordinal) { [Name] = resource.Name, [PartOf] = Stack };

    /// <summary>Every pod of the stack (what its NetworkPolicies and disruption budgets select), plus <paramref name="pool"/>'s label when given.</summary>
    public static Dictionary<string, string> PartOfStack(string? pool = null) =>
        pool is null ? new(StringComparer.Ordinal) { [PartOf] = Stack } : new(StringComparer.Ordinal) { [PartOf] = Stack, [Pool] = pool };

    /// <summary>An object of <paramref name="resource"/> named <paramref name="name"/>, with the resource's labels.</summary>
    public static k8s.Models.V1ObjectMeta Metadata(string name, IResource resource) => new() { Name = name, Labels = Of(resource) };
}
