using System.Globalization;
using k8s.Models;
using Matrix.AppHost.Configuration;
using Matrix.AppHost.Files;
using Matrix.AppHost.Kubernetes;
using Matrix.Stack.Layout;
using Matrix.Stack.Synapse;

namespace Matrix.AppHost.Synapse;

/// <summary>
/// How the Synapse processes are published to Kubernetes, from the layout entry each runs
/// (<see cref="SynapseProcessResource.Instance"/>) placed as <see cref="SynapseHosting.PoolServices"/> places it:
/// main is a Deployment (<c>Recreate</c>: one main at a time) with its Service; each worker pool is one StatefulSet named
/// after the pool (pods <c>synchrotron-1</c>, <c>synchrotron-2</c>...: ordinals start at 1, so pod names are the
/// layout's worker names) behind a headless Service <c>&lt;hostPrefix&gt;&lt;pool&gt;</c>, built from the pool's first
/// process (the others add nothing). Every pod reads the shared files, its pool's worker file and the
/// <c>worker_name</c> file it writes from its own name (<see cref="PodWorkerName"/>). Files are the pool-hosted
/// rendering (instance_map hosts are the pods' stable names). A pool with several pods, or that may get several,
/// gets a PodDisruptionBudget (at most one pod down during voluntary disruptions).
/// </summary>
public static class SynapseKubernetesObjects
{
    public const string DisruptionBudgetsFile = "disruption-budgets.yaml";

    /// <summary>The matrixdotorg/synapse image's entrypoint, which a pool pod's command runs after naming itself.</summary>
    public const string ImageEntrypoint = "/start.py";

    /// <summary>The most pods a scalable pool is meant to run (sizing of PostgreSQL's connections, the autoscaler's maximum).</summary>
    public const string MaxReplicasAnnotation = "matrix-stack/max-replicas";

    private const string WorkerNameVolume = "worker-name";

    public static void Apply(KubernetesResourceObjects objects, MatrixStack stack)
    {
        var hosted = stack.PoolHosted;
        var instance = ((SynapseProcessResource)objects.Resource).Instance;
        var deployment = objects.Objects.OfType<V1Deployment>().Single();
        var files = hosted.Files(SynapsePaths.Folder);
        var poolFile = SynapseResourceExtensions.WorkerFile(instance.Pool.Name);
        if (instance.IsMain)
        {
            deployment.Metadata.Labels[KubernetesLabels.Pool] = instance.Pool.Name;
            deployment.Spec.Template.Metadata.Labels[KubernetesLabels.Pool] = instance.Pool.Name;
            deployment.Spec.Strategy = new V1DeploymentStrategy { Type = "Recreate" };
            ReplaceFiles(objects, $"{objects.Resource.Name}-config", SynapseResourceExtensions.FilesOf(files, workerFile: null));
            return;
        }
        var pool = hosted.Layout.InstancesOf(instance.PoolType);
        if (pool[0].Name != instance.Name)
        {
            objects.Objects.Clear();
            return;
        }

        var service = hosted.Layout.PoolService(instance.Pool);
        var replicas = pool.Count;
        var maxReplicas = objects.Settings.MaxReplicasOf(instance.Pool, replicas);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KubernetesLabels.Name] = service, [KubernetesLabels.PartOf] = KubernetesLabels.Stack, [KubernetesLabels.Pool] = instance.Pool.Name,
        };
        var template = deployment.Spec.Template;
        template.Metadata.Labels = labels;
        NameEachPod(template.Spec, stack.Options.Synapse.ConfigDirectory, instance, poolFile);
        template.Spec.Containers.Single().Name = service;
        ReplaceFiles(objects, $"{service}-config", SynapseResourceExtensions.FilesOf(files, poolFile));

        var statefulSet = new V1StatefulSet
        {
            ApiVersion = "apps/v1", Kind = V1StatefulSet.KubeKind,
            Metadata = new V1ObjectMeta
            {
                Name = instance.Pool.Name,
                Labels = labels,
                Annotations = instance.Pool.ScalesWithoutNewConfig
                    ? new Dictionary<string, string>(StringComparer.Ordinal) { [MaxReplicasAnnotation] = maxReplicas.ToString(CultureInfo.InvariantCulture) }
                    : null,
            },
            Spec = new V1StatefulSetSpec
            {
                Replicas = replicas,
                ServiceName = service,
                // Pods are independent workers: they start and stop together rather than one after the other.
                PodManagementPolicy = "Parallel",
                Ordinals = new V1StatefulSetOrdinals { Start = 1 },
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(StringComparer.Ordinal) { [KubernetesLabels.Name] = service } },
                Template = template,
            },
        };
        var ownService = objects.Objects.OfType<V1Service>().Single();
        var headless = new V1Service
        {
            ApiVersion = "v1", Kind = V1Service.KubeKind,
            Metadata = new V1ObjectMeta { Name = service, Labels = labels },
            Spec = new V1ServiceSpec
            {
                // Headless: the name resolves to each ready pod, and <pod>.<service> to that pod (instance_map, the router).
                ClusterIP = "None",
                Selector = statefulSet.Spec.Selector.MatchLabels,
                Ports = ownService.Spec.Ports,
            },
        };
        objects.Objects[objects.Objects.IndexOf(deployment)] = statefulSet;
        objects.Objects[objects.Objects.IndexOf(ownService)] = headless;
        objects.FileName = $"{service}.yaml";
        if (objects.Settings.Autoscaling && instance.Pool.ScalesWithoutNewConfig)
        {
            // The autoscaler owns the count: a replicas field would reset it at every `kubectl apply`.
            statefulSet.Spec.Replicas = null;
            objects.Objects.Add(Autoscaler(statefulSet, labels, replicas, maxReplicas, objects.Settings.AutoscalingCpuUtilization));
        }
        if (maxReplicas > 1)
        {
            objects.AddToSharedFile(DisruptionBudgetsFile, DisruptionBudget(instance.Pool.Name));
        }
    }

    // The pod writes its worker_name file (an emptyDir) before the image's entrypoint runs Synapse with the shared file,
    // the pool's worker file and that one.
    private static void NameEachPod(V1PodSpec pod, string configDirectory, SynapseInstance instance, string poolFile)
    {
        var container = pod.Containers.Single();
        container.Command = [.. PodWorkerName.Command(ImageEntrypoint)];
        container.Args = [.. SynapseResourceExtensions.Arguments(instance, configDirectory, $"{configDirectory}/{poolFile}", PodWorkerName.FilePath)];
        container.Env ??= [];
        container.Env.Add(new V1EnvVar
        {
            Name = PodWorkerName.PodNameVariable,
            ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } },
        });
        container.Env.Add(new V1EnvVar { Name = PodWorkerName.FileVariable, Value = PodWorkerName.FilePath });
        container.VolumeMounts ??= [];
        container.VolumeMounts.Add(new V1VolumeMount { Name = WorkerNameVolume, MountPath = PodWorkerName.Directory });
        pod.Volumes ??= [];
        pod.Volumes.Add(new V1Volume { Name = WorkerNameVolume, EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("1Mi") } });
    }

    // The process's ConfigMap holds the pool-hosted rendering under a name of its own; its volume lists those files.
    private static void ReplaceFiles(KubernetesResourceObjects objects, string name, IEnumerable<GeneratedFile> files)
    {
        var configMap = objects.Objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == $"{objects.Resource.Name}-config");
        var volume = objects.PodTemplate.Spec.Volumes.Single(v => v.ConfigMap?.Name == configMap.Metadata.Name);
        var list = files.ToList();
        configMap.Metadata.Name = name;
        configMap.Metadata.Labels = objects.PodTemplate.Metadata.Labels;
        configMap.Data = list.ToDictionary(file => file.ConfigMapKey, file => file.Contents, StringComparer.Ordinal);
        volume.ConfigMap.Name = name;
        volume.ConfigMap.Items = list.Select(file => new V1KeyToPath { Key = file.ConfigMapKey, Path = file.RelativePath }).ToList();
    }

    private static V2HorizontalPodAutoscaler Autoscaler(V1StatefulSet statefulSet, Dictionary<string, string> labels, int min, int max, int cpuUtilization) => new()
    {
        ApiVersion = "autoscaling/v2", Kind = V2HorizontalPodAutoscaler.KubeKind,
        Metadata = new V1ObjectMeta { Name = statefulSet.Metadata.Name, Labels = labels },
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = statefulSet.ApiVersion, Kind = statefulSet.Kind, Name = statefulSet.Metadata.Name },
            MinReplicas = min,
            MaxReplicas = max,
            Metrics =
            [
                new V2MetricSpec
                {
                    Type = "Resource",
                    Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = cpuUtilization } },
                },
            ],
        },
    };

    private static V1PodDisruptionBudget DisruptionBudget(string pool) => new()
    {
        ApiVersion = "policy/v1", Kind = V1PodDisruptionBudget.KubeKind,
        Metadata = new V1ObjectMeta { Name = $"synapse-pool-{pool}", Labels = KubernetesLabels.PartOfStack() },
        Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = 1, Selector = new V1LabelSelector { MatchLabels = KubernetesLabels.PartOfStack(pool) } },
    };
}
