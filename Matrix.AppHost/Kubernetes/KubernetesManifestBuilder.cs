using k8s;
using k8s.Models;
using Matrix.AppHost.Routing;
using Matrix.Stack.Model;

namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// The Kubernetes objects of a model: for every container and project one workload named as the resource (a Deployment;
/// a StatefulSet when it keeps data in a volume; a Job or CronJob when <see cref="WorkloadKindAnnotation"/> says so),
/// a Service of the same name for its endpoints (the names the generated config files use), its ConfigMaps and the
/// claims it creates; a PodDisruptionBudget per Synapse pool with several instances; an Ingress for the router.
/// </summary>
public sealed class KubernetesManifestBuilder(
    DistributedApplicationModel model,
    DistributedApplicationExecutionContext executionContext,
    StackOptions options,
    KubernetesPublishSettings settings,
    CancellationToken cancellationToken)
{
    public const string DisruptionBudgetsFile = "disruption-budgets.yaml";
    public const string IngressFile = "ingress.yaml";
    public const string IngressName = "matrix";

    /// <summary>The paths the router serves to the outside: client and federation APIs, Synapse's client pages, delegation.</summary>
    public static readonly IReadOnlyList<string> IngressPaths = ["/_matrix", "/_synapse/client", "/.well-known/matrix"];

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
        foreach (var resource in compute)
        {
            ValidateName(resource.Name);
            manifest.Add($"{resource.Name}.yaml", await ObjectsOfAsync(resource, pods, claimOwner));
        }
        foreach (var database in model.Resources.OfType<PostgresDatabaseResource>())
        {
            if (database.Annotations.OfType<DatabaseCreationJobAnnotation>().LastOrDefault() is { } creation)
            {
                ValidateName(database.Name);
                manifest.Add($"{database.Name}.yaml", [DatabaseJob(database, creation, pods)]);
            }
        }
        manifest.Add(DisruptionBudgetsFile, DisruptionBudgets(compute));
        manifest.Add(KubernetesNetworkPolicies.FileName, KubernetesNetworkPolicies.For(compute));
        if (compute.FirstOrDefault(r => r.Name == MatrixRouterExtensions.ResourceName) is { } router)
        {
            manifest.Add(IngressFile, [Ingress(router)]);
        }
        return manifest;
    }

    private static bool IsCompute(IResource resource) =>
        resource is ContainerResource or ProjectResource
        && !resource.Annotations.OfType<ManifestPublishingCallbackAnnotation>().Any(a => a.Callback is null);

    private async Task<IReadOnlyList<IKubernetesObject>> ObjectsOfAsync(IResource resource, KubernetesPodFactory pods, int? claimOwner)
    {
        if (resource is PostgresServerResource && settings.ExternalPostgres is { } external)
        {
            // The stack's config files address the database as the resource: the name stays, pointing elsewhere.
            return [new V1Service
            {
                ApiVersion = "v1", Kind = V1Service.KubeKind,
                Metadata = Metadata(resource.Name, resource),
                Spec = new V1ServiceSpec { Type = "ExternalName", ExternalName = external },
            }];
        }

        var kind = resource.Annotations.OfType<WorkloadKindAnnotation>().LastOrDefault();
        var pod = await pods.CreateAsync(resource, kind, claimOwner);
        var objects = new List<IKubernetesObject>(pod.ConfigMaps);
        foreach (var claim in resource.Annotations.OfType<SharedClaimAnnotation>().Where(c => c.CreatesClaim))
        {
            objects.Add(new V1PersistentVolumeClaim
            {
                ApiVersion = "v1", Kind = V1PersistentVolumeClaim.KubeKind,
                Metadata = Metadata(claim.ClaimName, resource),
                Spec = new V1PersistentVolumeClaimSpec
                {
                    // Every media process and the janitor mount it at once: the storage class must offer ReadWriteMany.
                    AccessModes = ["ReadWriteMany"],
                    Resources = new V1VolumeResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["storage"] = new(claim.Size!) },
                    },
                },
            });
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
                return new V1Job
                {
                    ApiVersion = "batch/v1", Kind = V1Job.KubeKind,
                    Metadata = Metadata(resource.Name, resource),
                    // Gone an hour after it succeeds, so the next `kubectl apply` may create (and run) it again: it is idempotent.
                    Spec = new V1JobSpec { BackoffLimit = 10, TtlSecondsAfterFinished = 3600, Template = pod.Template },
                };
            case WorkloadKind.CronJob:
                return new V1CronJob
                {
                    ApiVersion = "batch/v1", Kind = V1CronJob.KubeKind,
                    Metadata = Metadata(resource.Name, resource),
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
                Metadata = Metadata(resource.Name, resource),
                Spec = new V1StatefulSetSpec
                {
                    Replicas = 1, ServiceName = resource.Name, Selector = selector, Template = pod.Template, VolumeClaimTemplates = pod.ClaimTemplates.ToList(),
                },
            };
        }
        // A Synapse instance name must run once (replication streams are per instance), and a host-network pod holds its
        // ports: the old pod goes before the new one starts.
        var exclusive = resource.Annotations.OfType<SynapsePoolAnnotation>().Any() || resource.Annotations.OfType<HostNetworkAnnotation>().Any();
        return new V1Deployment
        {
            ApiVersion = "apps/v1", Kind = V1Deployment.KubeKind,
            Metadata = Metadata(resource.Name, resource),
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = selector,
                Strategy = exclusive ? new V1DeploymentStrategy { Type = "Recreate" } : null,
                Template = pod.Template,
            },
        };
    }

    // As the server's user, with the server's password from the operator's Secret, at the server's Service (or the
    // external server its ExternalName points at: that user must then be allowed to create databases).
    private V1Job DatabaseJob(PostgresDatabaseResource database, DatabaseCreationJobAnnotation creation, KubernetesPodFactory pods) =>
        KubernetesDatabaseJob.For(database, creation, pods.ImageOf(database.Parent), options.Database.User, options.Database.Port,
            KubernetesSecrets.For(database.Parent.PasswordParameter));

    private static V1Service? Service(IResource resource)
    {
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToList();
        if (endpoints.Count == 0)
        {
            return null;
        }
        return new V1Service
        {
            ApiVersion = "v1", Kind = V1Service.KubeKind,
            Metadata = Metadata(resource.Name, resource),
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

    private static List<IKubernetesObject> DisruptionBudgets(IEnumerable<IResource> compute) =>
        compute
            .Select(resource => resource.Annotations.OfType<SynapsePoolAnnotation>().LastOrDefault())
            .OfType<SynapsePoolAnnotation>()
            .Where(pool => pool.HasSeveralInstances)
            .Select(pool => pool.Pool)
            .Distinct(StringComparer.Ordinal)
            .Select(pool => (IKubernetesObject)new V1PodDisruptionBudget
            {
                ApiVersion = "policy/v1", Kind = V1PodDisruptionBudget.KubeKind,
                Metadata = new V1ObjectMeta
                {
                    Name = $"synapse-pool-{pool}",
                    Labels = new Dictionary<string, string>(StringComparer.Ordinal) { [KubernetesLabels.PartOf] = KubernetesLabels.Stack },
                },
                Spec = new V1PodDisruptionBudgetSpec
                {
                    // At most one instance of the pool down at a time during node drains and upgrades.
                    MaxUnavailable = 1,
                    Selector = new V1LabelSelector
                    {
                        MatchLabels = new Dictionary<string, string>(StringComparer.Ordinal)
                        {
                            [KubernetesLabels.PartOf] = KubernetesLabels.Stack,
                            [SynapsePoolAnnotation.PoolLabel] = pool,
                        },
                    },
                },
            })
            .ToList();

    private V1Ingress Ingress(IResource router)
    {
        var endpoint = router.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == MatrixRouterExtensions.HttpEndpoint);
        var hosts = new List<string> { settings.IngressHost ?? new Uri(options.EffectivePublicBaseUrl).Host };
        var federationHost = options.EffectiveFederationAuthority.Split(':')[0];
        if (settings.IngressHost is null && !hosts.Contains(federationHost, StringComparer.OrdinalIgnoreCase))
        {
            hosts.Add(federationHost);
        }
        var backend = new V1IngressBackend
        {
            Service = new V1IngressServiceBackend { Name = router.Name, Port = new V1ServiceBackendPort { Name = KubernetesPorts.Name(endpoint) } },
        };
        return new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1", Kind = V1Ingress.KubeKind,
            Metadata = Metadata(IngressName, router),
            Spec = new V1IngressSpec
            {
                IngressClassName = settings.IngressClassName,
                Tls = settings.IngressTlsSecret is { } tls ? [new V1IngressTLS { Hosts = hosts, SecretName = tls }] : null,
                Rules = hosts.Select(host => new V1IngressRule
                {
                    Host = host,
                    Http = new V1HTTPIngressRuleValue
                    {
                        Paths = IngressPaths.Select(path => new V1HTTPIngressPath { Path = path, PathType = "Prefix", Backend = backend }).ToList(),
                    },
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

    private static V1ObjectMeta Metadata(string name, IResource resource) => new()
    {
        Name = name,
        Labels = KubernetesLabels.Of(resource),
    };

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
