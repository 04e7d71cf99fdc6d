namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// How a resource changes the Kubernetes objects the publisher made for it, declared by the resource's own builder
/// extension (like Aspire's <c>PublishAsKubernetesService(callback)</c>), so that the publisher itself knows no resource
/// by name or type. Several callbacks on one resource run in the order they were added.
/// </summary>
public sealed record KubernetesObjectsAnnotation(Action<KubernetesResourceObjects> Callback) : IResourceAnnotation;
