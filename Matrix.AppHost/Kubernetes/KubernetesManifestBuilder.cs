using k8s;
using k8s.Models;

namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// The Kubernetes objects of a model: for every container and project one workload named as the resource (a Deployment;
/// a StatefulSet when it keeps data in a volume; a Job or CronJob when <see cref="WorkloadKindAnnotation"/> says so),
/// a Service of the same name for its endpoints (the names the generated config files use), its ConfigMaps and the
/// claims it creates. Anything particular to one resource (its Ingress, an external database, a pool's StatefulSet,
/// host networking) is the resource's own <see cref="KubernetesObjectsAnnotation"/> callbacks, run on those objects.
/// </summary>
public sealed class KubernetesManifestBuilder(
    DistributedApplicationModel model,
    DistributedApplicationExecutionContext executionContext,
    KubernetesPublishSettings settings,
    CancellationToken cancellationToken)
{
    public async Task<KubernetesManifest> BuildAsync()
    {
        var manifest = new KubernetesManifest();
        var pods = new KubernetesPodFactory(executionContext, settings, cancellationToken);
        var compute = model.Resources.Where(IsCompute).ToList();
        foreach (var resource in compute.GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            throw new InvalidOperationException($"two resources are named {resource.Key}; Kubernetes names must be unique");
        }
        var claimOwner = SharedClaimOwner(compute);
        var sharedFiles = new SortedDictionary<string, List<IKubernetesObject>>(StringComparer.Ordinal);
        var published = new List<KubernetesResourceObjects>();
        var all = new List<KubernetesResourceObjects>();
        foreach (var resource in model.Resources)
        {
            var isCompute = compute.Contains(resource);
            var callbacks = resource.Annotations.OfType<KubernetesObjectsAnnotation>().ToList();
            if (!isCompute && callbacks.Count == 0)
            {
                continue;
            }
            ValidateName(resource.Name);
            var objects = new KubernetesResourceObjects(
                resource, isCompute ? await ObjectsOfAsync(resource, pods, claimOwner) : [], settings, pods.ImageOf, sharedFiles);
            foreach (var callback in callbacks)
            {
                callback.Callback(objects);
            }
            if (isCompute)
            {
                published.Add(objects);
            }
            all.Add(objects);
        }
        // Once every callback has shaped the pods (host networking included), so what it checks is what is published.
        foreach (var objects in all)
        {
            foreach (var template in objects.Objects.Select(KubernetesResourceObjects.PodTemplateOf).OfType<V1PodTemplateSpec>())
            {
                KubernetesPodSecurity.Apply(template.Spec, objects.Resource);
            }
            manifest.Add(objects.FileName, objects.Objects);
        }
        manifest.Add(KubernetesNetworkPolicies.FileName, KubernetesNetworkPolicies.For(published));
        foreach (var (fileName, objects) in sharedFiles)
        {
            manifest.Add(fileName, objects);
        }
        return manifest;
    }

    private static bool IsCompute(IResource resource) =>
        resource is ContainerResource or ProjectResource
        && !resource.Annotations.OfType<ManifestPublishingCallbackAnnotation>().Any(a => a.Callback is null);

    private async Task<List<IKubernetesObject>> ObjectsOfAsync(IResource resource, KubernetesPodFactory pods, int? claimOwner)
    {
        var kind = resource.Annotations.OfType<WorkloadKindAnnotation>().LastOrDefault();
        var pod = await pods.CreateAsync(resource, kind, claimOwner);
        var objects = new List<IKubernetesObject>(pod.ConfigMaps);
        foreach (var claim in resource.Annotations.OfType<SharedClaimAnnotation>().Where(c => c.CreatesClaim))
        {
            // Every media process and the janitor mount it at once: the storage class must offer ReadWriteMany.
            var shared = KubernetesPodFactory.Claim(KubernetesLabels.Metadata(claim.ClaimName, resource), "ReadWriteMany", claim.Size!);
            shared.ApiVersion = "v1";
            shared.Kind = V1PersistentVolumeClaim.KubeKind;
            objects.Add(shared);
        }
        objects.Add(Workload(resource, kind, pod));
        if (kind is null && Service(resource) is { } service)
        {
            objects.Add(service);
        }
        return objects;
    }

    private IKubernetesObject Workload(IResource resource, WorkloadKindAnnotation? kind, KubernetesPodFactory.Pod pod)
    {
        var selector = new V1LabelSelector { MatchLabels = KubernetesLabels.Selector(resource) };
        switch (kind?.Kind)
        {
            case WorkloadKind.Job:
                return RunOnceJob(resource, pod.Template);
            case WorkloadKind.CronJob:
                return new V1CronJob
                {
                    ApiVersion = "batch/v1", Kind = V1CronJob.KubeKind,
                    Metadata = KubernetesLabels.Metadata(resource.Name, resource),
                    Spec = new V1CronJobSpec
                    {
                        Schedule = kind.Schedule ?? throw new InvalidOperationException($"{resource.Name}: a CronJob needs a schedule"),
                        ConcurrencyPolicy = "Forbid",
                        SuccessfulJobsHistoryLimit = 3,
                        FailedJobsHistoryLimit = 3,
                        JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { BackoffLimit = 2, Template = pod.Template } },
                    },
                };
        }
        if (pod.ClaimTemplates.Count > 0)
        {
            return new V1StatefulSet
            {
                ApiVersion = "apps/v1", Kind = V1StatefulSet.KubeKind,
                Metadata = KubernetesLabels.Metadata(resource.Name, resource),
                Spec = new V1StatefulSetSpec
                {
                    Replicas = 1, ServiceName = resource.Name, Selector = selector, Template = pod.Template, VolumeClaimTemplates = pod.ClaimTemplates.ToList(),
                },
            };
        }
        return new V1Deployment
        {
            ApiVersion = "apps/v1", Kind = V1Deployment.KubeKind,
            Metadata = KubernetesLabels.Metadata(resource.Name, resource),
            Spec = new V1DeploymentSpec { Replicas = 1, Selector = selector, Template = pod.Template },
        };
    }

    /// <summary>
    /// A Job of <paramref name="resource"/> (the bucket creation, a database creation) retried up to ten times, and gone
    /// an hour after it succeeds, so the next <c>kubectl apply</c> may create (and run) it again: it must be idempotent.
    /// </summary>
    public static V1Job RunOnceJob(IResource resource, V1PodTemplateSpec template) => new()
    {
        ApiVersion = "batch/v1", Kind = V1Job.KubeKind,
        Metadata = KubernetesLabels.Metadata(resource.Name, resource),
        Spec = new V1JobSpec { BackoffLimit = 10, TtlSecondsAfterFinished = 3600, Template = template },
    };

    private static V1Service? Service(IResource resource)
    {
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToList();
        return endpoints.Count == 0 ? null : new V1Service
        {
            ApiVersion = "v1", Kind = V1Service.KubeKind,
            Metadata = KubernetesLabels.Metadata(resource.Name, resource),
            Spec = new V1ServiceSpec
            {
                Selector = KubernetesLabels.Selector(resource),
                Ports = endpoints.Select(endpoint => new V1ServicePort
                {
                    Name = KubernetesPorts.Name(endpoint),
                    Port = KubernetesPorts.Of(endpoint, resource),
                    TargetPort = KubernetesPorts.Name(endpoint),
                    Protocol = KubernetesPorts.Protocol(endpoint),
                }).ToList(),
            },
        };
    }

    // The user that writes the shared claim: the fsGroup of the resource creating it (Synapse's, from its secret files).
    private static int? SharedClaimOwner(IEnumerable<IResource> compute) =>
        compute.Where(r => r.Annotations.OfType<SharedClaimAnnotation>().Any(c => c.CreatesClaim))
            .SelectMany(r => r.Annotations.OfType<Matrix.AppHost.Files.SecretFilesAnnotation>())
            .Select(files => (int?)files.Owner)
            .FirstOrDefault(owner => owner is not 0);

    // RFC 1123 label: what Service names need (and Aspire resource names nearly are).
    private static void ValidateName(string name)
    {
        if (name.Length > 63 || name.Length == 0 || !char.IsAsciiLetterLower(name[0]) || name[^1] == '-'
            || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new InvalidOperationException($"resource '{name}' cannot be a Kubernetes Service name (at most 63 characters: a-z, 0-9, '-', starting with a letter)");
        }
    }
}
