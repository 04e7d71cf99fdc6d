using Aspire.Hosting.Kubernetes;
using Aspire.Hosting.Kubernetes.Resources;
using Matrix.AppHost.Kubernetes.Manifests;

namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// What the generic Kubernetes publisher cannot know, applied through <c>PublishAsKubernetesService</c>. Each callback
/// runs while publishing, after Aspire has built the resource's Deployment/StatefulSet, ConfigMap, Secret and Service.
/// </summary>
public static class KubernetesCustomizations
{
    /// <summary>Pod label grouping the instances of one Synapse pool (a disruption budget selects on it).</summary>
    public const string PoolLabel = "matrix-stack/pool";

    private const string ReleaseLabel = "app.kubernetes.io/instance";
    private const string ReleaseExpression = "{{ .Release.Name }}";

    /// <summary>
    /// A second Service named exactly like the resource (<c>postgres</c>, <c>synapse-main</c>): the generated config files
    /// address components by resource name, as containers do in run mode, while Aspire names its own Service
    /// <c>&lt;name&gt;-service</c>. Same selector and ports as the generated Service.
    /// </summary>
    public static IResourceBuilder<T> WithAliasService<T>(this IResourceBuilder<T> builder) where T : IComputeResource =>
        builder.PublishAsKubernetesService(kubernetes =>
        {
            if (kubernetes.Service is not { } generated)
            {
                return;
            }
            var alias = new Service
            {
                Metadata = { Name = builder.Resource.Name, Labels = new Dictionary<string, string>(generated.Metadata.Labels) },
                Spec = { Selector = new Dictionary<string, string>(generated.Spec.Selector), Type = "ClusterIP" },
            };
            foreach (var port in generated.Spec.Ports)
            {
                alias.Spec.Ports.Add(new ServicePortV1 { Name = port.Name, Port = port.Port, TargetPort = port.TargetPort, Protocol = port.Protocol });
            }
            kubernetes.AdditionalResources.Add(alias);
        });

    /// <summary>Requests and memory limit on every container of the pod.</summary>
    public static IResourceBuilder<T> WithKubernetesSizing<T>(this IResourceBuilder<T> builder, ComponentSizing sizing) where T : IComputeResource =>
        builder.PublishAsKubernetesService(kubernetes =>
        {
            foreach (var container in PodOf(kubernetes).Spec.Containers)
            {
                var resources = new ResourceRequirementsV1();
                resources.Requests["cpu"] = sizing.CpuRequest;
                resources.Requests["memory"] = sizing.MemoryRequest;
                resources.Limits["memory"] = sizing.MemoryLimit;
                container.Resources = resources;
            }
        });

    /// <summary>
    /// UDP media (TURN relays, WebRTC) on the node's own addresses: a Service cannot forward a port range, and the
    /// addresses the component advertises must be the ones clients reach.
    /// </summary>
    public static IResourceBuilder<T> WithKubernetesHostNetwork<T>(this IResourceBuilder<T> builder) where T : IComputeResource =>
        builder.PublishAsKubernetesService(kubernetes =>
        {
            var pod = PodOf(kubernetes).Spec;
            pod.HostNetwork = true;
            pod.DnsPolicy = "ClusterFirstWithHostNet";
        });

    /// <summary>
    /// Labels the pod with its Synapse pool; the first instance of a pool with more than one instance also carries the
    /// pool's PodDisruptionBudget (at most one instance of the pool down at a time during voluntary disruptions).
    /// </summary>
    public static IResourceBuilder<T> WithPoolMembership<T>(this IResourceBuilder<T> builder, string pool, bool addDisruptionBudget)
        where T : IComputeResource =>
        builder.PublishAsKubernetesService(kubernetes =>
        {
            var template = PodOf(kubernetes);
            template.Metadata.Labels[PoolLabel] = pool;
            if (!addDisruptionBudget)
            {
                return;
            }
            var budget = new PodDisruptionBudgetV1
            {
                Metadata = { Name = $"synapse-{pool}-pdb" },
                Spec = { MaxUnavailable = 1 },
            };
            budget.Spec.Selector.MatchLabels[PoolLabel] = pool;
            budget.Spec.Selector.MatchLabels[ReleaseLabel] = ReleaseExpression;
            kubernetes.AdditionalResources.Add(budget);
        });

    /// <summary>
    /// Runs the resource as a CronJob instead of a Deployment (Aspire 13.5's Kubernetes publisher has no CronJob type;
    /// <see cref="CronJobV1"/> is ours). The pod is the one Aspire generated, with <paramref name="arguments"/>
    /// appended and the probes removed (a job is not a service); the resource then needs no Service either.
    /// </summary>
    public static IResourceBuilder<T> PublishAsKubernetesCronJob<T>(this IResourceBuilder<T> builder, string schedule, params string[] arguments)
        where T : IComputeResource =>
        builder.PublishAsKubernetesService(kubernetes =>
        {
            var generated = kubernetes.Workload ?? throw new InvalidOperationException($"'{builder.Resource.Name}' has no workload to run as a CronJob");
            var template = generated.PodTemplate;
            template.Spec.RestartPolicy = "OnFailure";
            foreach (var container in template.Spec.Containers)
            {
                container.Args.AddRange(arguments);
                container.ReadinessProbe = null;
                container.LivenessProbe = null;
                container.StartupProbe = null;
            }
            var cronJob = new CronJobV1
            {
                Metadata = { Name = $"{builder.Resource.Name}-cronjob", Labels = new Dictionary<string, string>(generated.Metadata.Labels) },
                Spec = { Schedule = schedule, ConcurrencyPolicy = "Forbid" },
            };
            cronJob.Spec.JobTemplate.Spec.Template = template;
            kubernetes.Workload = cronJob;
            kubernetes.Service = null;
        });

    /// <summary>Runs the resource as a one-off Job (for example the bucket creation) instead of a Deployment that restarts forever.</summary>
    public static IResourceBuilder<T> PublishAsKubernetesJob<T>(this IResourceBuilder<T> builder) where T : IComputeResource =>
        builder.PublishAsKubernetesService(kubernetes =>
        {
            var generated = kubernetes.Workload ?? throw new InvalidOperationException($"'{builder.Resource.Name}' has no workload to run as a Job");
            var template = generated.PodTemplate;
            template.Spec.RestartPolicy = "OnFailure";
            var job = new JobV1 { Metadata = { Name = $"{builder.Resource.Name}-job", Labels = new Dictionary<string, string>(generated.Metadata.Labels) } };
            job.Spec.Template = template;
            kubernetes.Workload = job;
            kubernetes.Service = null;
        });

    /// <summary>Mounts an existing claim (shared by several resources) instead of the per-resource claim Aspire would create.</summary>
    public static IResourceBuilder<T> WithSharedClaim<T>(this IResourceBuilder<T> builder, string claimName, string mountPath, bool createClaim, string size)
        where T : IComputeResource =>
        builder.PublishAsKubernetesService(kubernetes =>
        {
            var pod = PodOf(kubernetes).Spec;
            var volumeName = claimName;
            pod.Volumes.Add(new VolumeV1 { Name = volumeName, PersistentVolumeClaim = new() { ClaimName = claimName } });
            foreach (var container in pod.Containers)
            {
                container.VolumeMounts.Add(new VolumeMountV1 { Name = volumeName, MountPath = mountPath });
            }
            if (createClaim)
            {
                // Several pods mount it at once (media workers and the janitor): the storage class must offer ReadWriteMany.
                var claim = new PersistentVolumeClaim { Metadata = { Name = claimName }, Spec = new() { Resources = new() } };
                claim.Spec.AccessModes.Add("ReadWriteMany");
                claim.Spec.Resources.Requests["storage"] = size;
                kubernetes.AdditionalResources.Add(claim);
            }
        });

    internal static PodTemplateSpecV1 PodOf(KubernetesResource kubernetes) =>
        (kubernetes.Workload ?? throw new InvalidOperationException("the Kubernetes publisher built no workload")).PodTemplate;
}
