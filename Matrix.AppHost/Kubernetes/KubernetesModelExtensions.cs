using Matrix.Stack.Sizing;

namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// What a Kubernetes deployment needs to know that the generic application model does not say. Each call only records an
/// annotation on the resource: run mode ignores them, the Kubernetes publisher reads them.
/// </summary>
public static class KubernetesModelExtensions
{
    public static IResourceBuilder<T> WithKubernetesSizing<T>(this IResourceBuilder<T> builder, ComponentSizing sizing) where T : IResource =>
        builder.WithAnnotation(new KubernetesSizingAnnotation(sizing), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>The non-root user (and group, and volume group) the resource's image runs as in Kubernetes; see <see cref="KubernetesRunAsAnnotation"/>.</summary>
    public static IResourceBuilder<T> WithKubernetesUser<T>(this IResourceBuilder<T> builder, KubernetesRunAsAnnotation user) where T : IResource =>
        builder.WithAnnotation(user, ResourceAnnotationMutationBehavior.Replace);

    public static IResourceBuilder<T> WithKubernetesHostNetwork<T>(this IResourceBuilder<T> builder) where T : IResource =>
        builder.WithAnnotation(new HostNetworkAnnotation(), ResourceAnnotationMutationBehavior.Replace);

    public static IResourceBuilder<T> WithPoolMembership<T>(this IResourceBuilder<T> builder, string pool, bool hasSeveralInstances) where T : IResource =>
        builder.WithAnnotation(new SynapsePoolAnnotation(pool, hasSeveralInstances), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>A CronJob instead of a Deployment; the pod runs with <paramref name="arguments"/> appended and no probes.</summary>
    public static IResourceBuilder<T> PublishAsKubernetesCronJob<T>(this IResourceBuilder<T> builder, string schedule, params string[] arguments) where T : IResource =>
        builder.WithAnnotation(new WorkloadKindAnnotation(WorkloadKind.CronJob, schedule, arguments), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>A Job that runs once instead of a Deployment that restarts forever.</summary>
    public static IResourceBuilder<T> PublishAsKubernetesJob<T>(this IResourceBuilder<T> builder) where T : IResource =>
        builder.WithAnnotation(new WorkloadKindAnnotation(WorkloadKind.Job), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>Mounts the shared claim <paramref name="claimName"/>; <paramref name="size"/> set means this resource also creates it.</summary>
    public static IResourceBuilder<T> WithSharedClaim<T>(this IResourceBuilder<T> builder, string claimName, string mountPath, string? size) where T : IResource =>
        builder.WithAnnotation(new SharedClaimAnnotation(claimName, mountPath, size), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>In Kubernetes, a Job creates the database with <paramref name="creationScript"/> (Aspire's creation script runs in run mode only).</summary>
    public static IResourceBuilder<PostgresDatabaseResource> PublishWithKubernetesCreationJob(this IResourceBuilder<PostgresDatabaseResource> builder, string creationScript) =>
        builder.WithAnnotation(new DatabaseCreationJobAnnotation(creationScript), ResourceAnnotationMutationBehavior.Replace);
}
