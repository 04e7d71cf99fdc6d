using k8s.Models;
using Matrix.AppHost.Kubernetes;
using Matrix.Stack.Layout;

namespace Matrix.AppHost.Synapse;

/// <summary>
/// How a Synapse process is published to Kubernetes, from the layout entry it runs (<see cref="SynapseProcessResource.Instance"/>):
/// its pods carry their pool (<see cref="KubernetesLabels.Pool"/>); an instance name runs once (replication streams are
/// per instance), so the old pod goes before the new one starts; a pool with several instances gets one
/// PodDisruptionBudget (at most one instance down at a time during voluntary disruptions).
/// </summary>
public static class SynapseKubernetesObjects
{
    public const string DisruptionBudgetsFile = "disruption-budgets.yaml";

    public static void Apply(KubernetesResourceObjects objects, SynapseLayout layout)
    {
        var instance = ((SynapseProcessResource)objects.Resource).Instance;
        var deployment = objects.Objects.OfType<V1Deployment>().Single();
        deployment.Metadata.Labels[KubernetesLabels.Pool] = instance.Pool.Name;
        deployment.Spec.Template.Metadata.Labels[KubernetesLabels.Pool] = instance.Pool.Name;
        deployment.Spec.Strategy = new V1DeploymentStrategy { Type = "Recreate" };
        var pool = layout.InstancesOf(instance.PoolType);
        if (pool.Count > 1 && pool[0] == instance)
        {
            objects.AddToSharedFile(DisruptionBudgetsFile, DisruptionBudget(instance.Pool.Name));
        }
    }

    private static V1PodDisruptionBudget DisruptionBudget(string pool) => new()
    {
        ApiVersion = "policy/v1", Kind = V1PodDisruptionBudget.KubeKind,
        Metadata = new V1ObjectMeta
        {
            Name = $"synapse-pool-{pool}",
            Labels = new Dictionary<string, string>(StringComparer.Ordinal) { [KubernetesLabels.PartOf] = KubernetesLabels.Stack },
        },
        Spec = new V1PodDisruptionBudgetSpec
        {
            MaxUnavailable = 1,
            Selector = new V1LabelSelector
            {
                MatchLabels = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [KubernetesLabels.PartOf] = KubernetesLabels.Stack,
                    [KubernetesLabels.Pool] = pool,
                },
            },
        },
    };
}
