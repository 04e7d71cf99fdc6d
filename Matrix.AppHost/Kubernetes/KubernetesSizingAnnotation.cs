using Matrix.Stack.Sizing;

namespace Matrix.AppHost.Kubernetes;

/// <summary>Requests and memory limit for every container of the resource's pod when published to Kubernetes.</summary>
public sealed record KubernetesSizingAnnotation(ComponentSizing Sizing) : IResourceAnnotation;
