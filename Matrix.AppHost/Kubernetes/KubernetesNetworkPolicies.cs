using k8s;
using k8s.Models;

namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// Ingress NetworkPolicies of the stack. Every pod of the stack (label <see cref="KubernetesLabels.PartOf"/>) accepts
/// connections only from pods of the stack in its namespace, on any port: Synapse's replication, metrics and client
/// ports, PostgreSQL, Redis and MinIO are reachable from nothing else. On top of that (policies add up):
/// <list type="bullet">
/// <item>an endpoint the model marks external (<c>WithExternalHttpEndpoints</c>: the router, Element Web, Synapse Admin,
/// lk-jwt-service, MAS's HTTP listener) accepts its own port from anywhere, for the ingress controller;</item>
/// <item>a resource a host-network pod waits for (LiveKit's Redis) accepts its ports from anywhere: a host-network
/// pod's connections carry its node's address, which no pod selector matches (its password still guards it).</item>
/// </list>
/// Host-network pods themselves (coturn, LiveKit) are outside every NetworkPolicy; the nodes' firewall guards them.
/// Egress is not restricted: Synapse federates with any server, and MAS and the janitor reach external services.
/// </summary>
public static class KubernetesNetworkPolicies
{
    public const string FileName = "network-policies.yaml";
    public const string StackOnlyName = "matrix-stack-internal";

    /// <summary>The policies for the workloads as published (after every resource's own callbacks, which may put a pod on the host network).</summary>
    public static IReadOnlyList<IKubernetesObject> For(IReadOnlyList<KubernetesResourceObjects> compute)
    {
        var stackPods = new V1LabelSelector { MatchLabels = KubernetesLabels.PartOfStack() };
        var policies = new List<IKubernetesObject>
        {
            Policy(StackOnlyName, stackPods, new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { PodSelector = stackPods }] }),
        };
        var nodeReached = compute.Where(IsHostNetwork)
            .SelectMany(published => published.Resource.Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource))
            .Select(resource => resource.Name)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var resource in compute.Where(p => !IsHostNetwork(p) && p.Workload is not null).Select(p => p.Resource))
        {
            var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToList();
            var open = nodeReached.Contains(resource.Name) ? endpoints : endpoints.Where(endpoint => endpoint.IsExternal).ToList();
            if (open.Count == 0)
            {
                continue;
            }
            var ports = open.Select(endpoint => new V1NetworkPolicyPort
            {
                Port = KubernetesPorts.Of(endpoint, resource),
                Protocol = KubernetesPorts.Protocol(endpoint),
            }).ToList();
            var name = nodeReached.Contains(resource.Name) ? $"{resource.Name}-from-nodes" : $"{resource.Name}-public";
            policies.Add(Policy(name, new V1LabelSelector { MatchLabels = KubernetesLabels.Selector(resource) }, new V1NetworkPolicyIngressRule { Ports = ports }));
        }
        return policies;
    }

    private static bool IsHostNetwork(KubernetesResourceObjects published) =>
        published.Workload is not null && published.PodTemplate.Spec.HostNetwork == true;

    private static V1NetworkPolicy Policy(string name, V1LabelSelector pods, V1NetworkPolicyIngressRule rule) => new()
    {
        ApiVersion = "networking.k8s.io/v1", Kind = V1NetworkPolicy.KubeKind,
        Metadata = new V1ObjectMeta { Name = name, Labels = KubernetesLabels.PartOfStack() },
        Spec = new V1NetworkPolicySpec { PodSelector = pods, PolicyTypes = ["Ingress"], Ingress = [rule] },
    };
}
