using k8s;
using k8s.Models;
using Matrix.AppHost.Kubernetes;

namespace Matrix.AppHost.Tests.Kubernetes;

/// <summary>
/// A published Kubernetes folder read back with KubernetesClient (strictly: an unknown field fails): the files its
/// kustomization lists, every object in them, and each workload's pod template.
/// </summary>
public sealed class KubernetesOutput
{
    public sealed record Workload(string Kind, string Name, V1PodTemplateSpec Template)
    {
        public V1Container Container => Assert.Single(Template.Spec.Containers);
    }

    private KubernetesOutput(string directory, IReadOnlyList<string> files, IReadOnlyList<IKubernetesObject> objects)
    {
        Directory = directory;
        Files = files;
        Objects = objects;
    }

    public string Directory { get; }

    public IReadOnlyList<string> Files { get; }

    public IReadOnlyList<IKubernetesObject> Objects { get; }

    public IEnumerable<T> Of<T>() => Objects.OfType<T>();

    public IReadOnlyList<Workload> Workloads =>
        Objects.Select(item => item switch
            {
                V1Deployment d => new Workload(d.Kind, d.Metadata.Name, d.Spec.Template),
                V1StatefulSet s => new Workload(s.Kind, s.Metadata.Name, s.Spec.Template),
                V1Job j => new Workload(j.Kind, j.Metadata.Name, j.Spec.Template),
                V1CronJob c => new Workload(c.Kind, c.Metadata.Name, c.Spec.JobTemplate.Spec.Template),
                _ => null,
            })
            .OfType<Workload>()
            .ToList();

    public Workload WorkloadNamed(string name) =>
        Workloads.SingleOrDefault(w => w.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"no workload {name}; workloads: {string.Join(", ", Workloads.Select(w => w.Name))}");

    public static KubernetesOutput Load(string directory)
    {
        var kustomization = KubernetesYaml.Deserialize<KubernetesManifest.Kustomization>(
            File.ReadAllText(Path.Combine(directory, KubernetesManifest.KustomizationFile)));
        var onDisk = System.IO.Directory.GetFiles(directory).Select(path => Path.GetFileName(path)).Where(f => f != KubernetesManifest.KustomizationFile).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(onDisk, kustomization.Resources.Order(StringComparer.Ordinal).ToList());

        var objects = new List<IKubernetesObject>();
        foreach (var file in kustomization.Resources)
        {
            // KubernetesClient knows no Gateway API kind: an HTTPRoute document is read into the project's own model.
            foreach (var document in File.ReadAllText(Path.Combine(directory, file)).Split("---\n", StringSplitOptions.RemoveEmptyEntries))
            {
                objects.AddRange(document.Contains($"\nkind: {Matrix.AppHost.Routing.GatewayHttpRoute.RouteKind}\n", StringComparison.Ordinal)
                    ? [KubernetesYaml.Deserialize<Matrix.AppHost.Routing.GatewayHttpRoute>(document, strict: true)]
                    : KubernetesYaml.LoadAllFromString(document, strict: true).Cast<IKubernetesObject>());
            }
        }
        return new KubernetesOutput(directory, kustomization.Resources, objects);
    }
}
