using Matrix.Stack.Model;

namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// The Kubernetes target of the model: publishing (<c>aspire publish -o DIR</c>) writes the stack's manifests and a
/// kustomization into <c>DIR/kubernetes</c>. Not a running resource; run mode ignores it.
/// </summary>
public sealed class KubernetesEnvironmentResource(string name, StackOptions options, KubernetesPublishSettings settings) : Resource(name)
{
    /// <summary>The folder under the publish output the manifests go to.</summary>
    public const string OutputFolder = "kubernetes";

    /// <summary>The pipeline step that writes them (<c>--step publish-kubernetes</c>).</summary>
    public const string PublishStepName = "publish-kubernetes";

    public StackOptions Options { get; } = options;

    public KubernetesPublishSettings Settings { get; } = settings;
}
