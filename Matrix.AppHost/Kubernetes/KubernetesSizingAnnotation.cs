using k8s.Models;
using Matrix.Stack.Sizing;

namespace Matrix.AppHost.Kubernetes;

/// <summary>Requests and memory limit for every container of the resource's pod when published to Kubernetes.</summary>
public sealed record KubernetesSizingAnnotation(ComponentSizing Sizing) : IResourceAnnotation
{
    /// <summary>A container's CPU and memory requests and its memory limit (no CPU limit).</summary>
    public static V1ResourceRequirements Requirements(ComponentSizing sizing) => new()
    {
        Requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new(sizing.CpuRequest), ["memory"] = new(sizing.MemoryRequest) },
        Limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["memory"] = new(sizing.MemoryLimit) },
    };
}
