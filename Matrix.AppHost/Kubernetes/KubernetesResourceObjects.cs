using k8s;
using k8s.Models;

namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// The objects one resource is published as, handed to its <see cref="KubernetesObjectsAnnotation"/> callbacks: its own
/// file (ConfigMaps, claims, workload, Service; empty for a resource that is not a workload, such as a database) and the
/// shared files several resources add to (the disruption budgets, the router's entry).
/// </summary>
public sealed class KubernetesResourceObjects(
    IResource resource,
    List<IKubernetesObject> objects,
    KubernetesPublishSettings settings,
    Func<IResource, string> imageOf,
    IDictionary<string, List<IKubernetesObject>> sharedFiles)
{
    public IResource Resource { get; } = resource;

    /// <summary>The objects of the resource's own file, in file order; a callback may replace or remove any of them.</summary>
    public List<IKubernetesObject> Objects { get; } = objects;

    /// <summary>The resource's own file; a callback may rename it (the file is left out when it has no objects).</summary>
    public string FileName { get; set; } = $"{resource.Name}.yaml";

    public KubernetesPublishSettings Settings { get; } = settings;

    /// <summary>The image another resource's pods run (a database Job runs its server's image).</summary>
    public string ImageOf(IResource other) => imageOf(other);

    /// <summary>The resource's long-running workload (Deployment or StatefulSet), or null (a Job, a CronJob, no workload).</summary>
    public IKubernetesObject? Workload => Objects.FirstOrDefault(item => item is V1Deployment or V1StatefulSet);

    /// <summary>The pod template of the resource's workload.</summary>
    public V1PodTemplateSpec PodTemplate => Objects.Select(PodTemplateOf).OfType<V1PodTemplateSpec>().FirstOrDefault()
        ?? throw new InvalidOperationException($"{Resource.Name} has no pod template in its Kubernetes objects");

    /// <summary>The pod template of a workload (Deployment, StatefulSet, Job, CronJob), or null.</summary>
    public static V1PodTemplateSpec? PodTemplateOf(IKubernetesObject item) => item switch
    {
        V1Deployment deployment => deployment.Spec.Template,
        V1StatefulSet statefulSet => statefulSet.Spec.Template,
        V1Job job => job.Spec.Template,
        V1CronJob cronJob => cronJob.Spec.JobTemplate.Spec.Template,
        _ => null,
    };

    /// <summary>Adds <paramref name="item"/> to the shared file <paramref name="fileName"/>.</summary>
    public void AddToSharedFile(string fileName, IKubernetesObject item)
    {
        if (!sharedFiles.TryGetValue(fileName, out var items))
        {
            sharedFiles[fileName] = items = [];
        }
        items.Add(item);
    }
}
