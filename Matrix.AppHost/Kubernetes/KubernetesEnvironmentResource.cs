namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// The Kubernetes target of the model: publishing (<c>aspire publish -o DIR</c>) writes the stack's manifests and a
/// kustomization into <c>DIR/kubernetes</c>. Not a running resource; run mode ignores it.
/// </summary>
public sealed class KubernetesEnvironmentResource(string name, KubernetesPublishSettings settings) : Resource(name)
{
    /// <summary>The folder under the publish output the manifests go to.</summary>
    public const string OutputFolder = "kubernetes";

    /// <summary>The pipeline step that writes them (<c>--step publish-kubernetes</c>).</summary>
    public const string PublishStepName = "publish-kubernetes";

    /// <summary>
    /// The publisher name of the execution context the model's callbacks are evaluated in for the Kubernetes output, so
    /// a resource can give what differs there (<see cref="Configuration.MatrixStack.WiringFor"/>).
    /// </summary>
    public const string PublisherName = "kubernetes";

    public KubernetesPublishSettings Settings { get; } = settings;
}
