namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// The name other pods reach a resource at when it is not a Service of its own: a StatefulSet pod's stable name
/// (<c>typing-1.synapse-typing</c>). Endpoint references to the resource use it in the Kubernetes output.
/// </summary>
public sealed record KubernetesHostAnnotation(string Host) : IResourceAnnotation
{
    public static string Of(IResource resource) => resource.Annotations.OfType<KubernetesHostAnnotation>().LastOrDefault()?.Host ?? resource.Name;
}
