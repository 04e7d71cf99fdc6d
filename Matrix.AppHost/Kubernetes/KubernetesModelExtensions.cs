using k8s.Models;
using Matrix.Stack.Sizing;

namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// What a Kubernetes deployment needs to know that the generic application model does not say. Each call only records an
/// annotation on the resource: run mode ignores them, the Kubernetes publisher reads them.
/// </summary>
public static class KubernetesModelExtensions
{
    /// <summary>Changes the objects the resource is published as (<see cref="KubernetesObjectsAnnotation"/>); callbacks run in order.</summary>
    public static IResourceBuilder<T> PublishAsKubernetes<T>(this IResourceBuilder<T> builder, Action<KubernetesResourceObjects> callback) where T : IResource =>
        builder.WithAnnotation(new KubernetesObjectsAnnotation(callback), ResourceAnnotationMutationBehavior.Append);

    public static IResourceBuilder<T> WithKubernetesSizing<T>(this IResourceBuilder<T> builder, ComponentSizing sizing) where T : IResource =>
        builder.WithAnnotation(new KubernetesSizingAnnotation(sizing), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>The non-root user (and group, and volume group) the resource's image runs as in Kubernetes; see <see cref="KubernetesRunAsAnnotation"/>.</summary>
    public static IResourceBuilder<T> WithKubernetesUser<T>(this IResourceBuilder<T> builder, KubernetesRunAsAnnotation user) where T : IResource =>
        builder.WithAnnotation(user, ResourceAnnotationMutationBehavior.Replace);

    /// <summary>
    /// The pod uses the node's network: UDP media (TURN relays, WebRTC) needs a port range, which a Service cannot
    /// forward, and the addresses the component advertises must be the ones clients reach. Such a pod holds its ports,
    /// so the old pod goes before the new one starts.
    /// </summary>
    public static IResourceBuilder<T> WithKubernetesHostNetwork<T>(this IResourceBuilder<T> builder) where T : IResource =>
        builder.PublishAsKubernetes(objects =>
        {
            var pod = objects.PodTemplate.Spec;
            pod.HostNetwork = true;
            pod.DnsPolicy = "ClusterFirstWithHostNet";
            objects.Objects.OfType<V1Deployment>().Single().Spec.Strategy = new V1DeploymentStrategy { Type = "Recreate" };
        });

    /// <summary>A CronJob instead of a Deployment; the pod runs with <paramref name="arguments"/> appended and no probes.</summary>
    public static IResourceBuilder<T> PublishAsKubernetesCronJob<T>(this IResourceBuilder<T> builder, string schedule, params string[] arguments) where T : IResource =>
        builder.WithAnnotation(new WorkloadKindAnnotation(WorkloadKind.CronJob, schedule, arguments), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>A Job that runs once instead of a Deployment that restarts forever.</summary>
    public static IResourceBuilder<T> PublishAsKubernetesJob<T>(this IResourceBuilder<T> builder) where T : IResource =>
        builder.WithAnnotation(new WorkloadKindAnnotation(WorkloadKind.Job), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>Mounts the shared claim <paramref name="claimName"/>; <paramref name="size"/> set means this resource also creates it.</summary>
    public static IResourceBuilder<T> WithSharedClaim<T>(this IResourceBuilder<T> builder, string claimName, string mountPath, string? size) where T : IResource =>
        builder.WithAnnotation(new SharedClaimAnnotation(claimName, mountPath, size), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>
    /// In Kubernetes, a Job creates the database with <paramref name="creationScript"/> (Aspire's creation script runs in
    /// run mode only), as the server's <paramref name="user"/> at its <paramref name="port"/>, with the server's password
    /// from the operator's Secret (or at the external server its ExternalName points at: that user must be allowed to
    /// create databases).
    /// </summary>
    public static IResourceBuilder<PostgresDatabaseResource> PublishWithKubernetesCreationJob(
        this IResourceBuilder<PostgresDatabaseResource> builder, string creationScript, string user, int port) =>
        builder.PublishAsKubernetes(objects => objects.Objects.Add(KubernetesDatabaseJob.For(
            builder.Resource, creationScript, objects.ImageOf(builder.Resource.Parent), user, port, KubernetesSecrets.For(builder.Resource.Parent.PasswordParameter))));
}
