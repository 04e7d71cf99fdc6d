using k8s;

namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// The Kubernetes output: one file per resource (its workload, Service, ConfigMaps, claims), the disruption budgets and
/// the Ingress, plus a <c>kustomization.yaml</c> listing them, so <c>kubectl apply -k DIR</c> deploys the folder.
/// Every object is a KubernetesClient model serialised by <see cref="KubernetesYaml"/>.
/// </summary>
public sealed class KubernetesManifest
{
    public const string KustomizationFile = "kustomization.yaml";

    private readonly List<(string FileName, IReadOnlyList<IKubernetesObject> Objects)> _files = [];

    public IReadOnlyList<(string FileName, IReadOnlyList<IKubernetesObject> Objects)> Files => _files;

    public void Add(string fileName, IReadOnlyList<IKubernetesObject> objects)
    {
        if (objects.Count == 0)
        {
            return;
        }
        if (_files.Any(file => file.FileName == fileName))
        {
            throw new InvalidOperationException($"two parts of the Kubernetes output are both named {fileName}");
        }
        _files.Add((fileName, objects));
    }

    /// <summary>Writes every file into <paramref name="directory"/>, replacing the files of an earlier publish (the folder holds nothing else).</summary>
    public async Task WriteAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        foreach (var stale in Directory.GetFiles(directory, "*.yaml"))
        {
            File.Delete(stale);
        }
        foreach (var (fileName, objects) in _files)
        {
            // One YAML stream per file: the documents KubernetesYaml writes, each opened with the stream's '---' marker.
            var documents = objects.Select(item => "---\n" + KubernetesYaml.Serialize(item).ReplaceLineEndings("\n").TrimEnd('\n') + "\n");
            await File.WriteAllTextAsync(Path.Combine(directory, fileName), string.Concat(documents), cancellationToken);
        }
        var kustomization = new Kustomization { Resources = _files.Select(file => file.FileName).ToList() };
        await File.WriteAllTextAsync(Path.Combine(directory, KustomizationFile), KubernetesYaml.Serialize(kustomization).ReplaceLineEndings("\n").TrimEnd('\n') + "\n", cancellationToken);
    }

    /// <summary>The kustomize file: the list of resource files.</summary>
    public sealed class Kustomization
    {
        public string ApiVersion { get; init; } = "kustomize.config.k8s.io/v1beta1";
        public string Kind { get; init; } = "Kustomization";
        public List<string> Resources { get; init; } = [];
    }
}
