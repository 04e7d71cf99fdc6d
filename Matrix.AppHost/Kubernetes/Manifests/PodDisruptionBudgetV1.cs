using Aspire.Hosting.Kubernetes.Resources;
using YamlDotNet.Serialization;

namespace Matrix.AppHost.Kubernetes.Manifests;

/// <summary>
/// <c>policy/v1 PodDisruptionBudget</c>. Aspire 13.5's Kubernetes resource types have none; the chart writer serializes
/// any <see cref="BaseKubernetesResource"/> by reflection, so this type is emitted like Aspire's own.
/// </summary>
public sealed class PodDisruptionBudgetV1() : BaseKubernetesResource("policy/v1", "PodDisruptionBudget")
{
    [YamlMember(Alias = "spec")]
    public PodDisruptionBudgetSpecV1 Spec { get; set; } = new();
}

public sealed class PodDisruptionBudgetSpecV1
{
    [YamlMember(Alias = "maxUnavailable")]
    public int? MaxUnavailable { get; set; }

    [YamlMember(Alias = "minAvailable")]
    public int? MinAvailable { get; set; }

    [YamlMember(Alias = "selector")]
    public LabelSelectorV1 Selector { get; set; } = new(new Dictionary<string, string>());
}
