using System.Net;
using k8s.Models;

namespace Matrix.AppHost.Tests.Kubernetes;

/// <summary>
/// Answers "may this source open a connection to this pod on this port" as the NetworkPolicy API defines it
/// (https://kubernetes.io/docs/concepts/services-networking/network-policies/): a pod no ingress policy selects accepts
/// everything; a selected pod accepts what at least one rule of one selecting policy allows; a rule allows a source when
/// its <c>from</c> is empty or one peer matches (podSelector: pods of the policy's namespace; namespaceSelector: pods of
/// the matching namespaces; both: both; ipBlock: the source address), and the port when its <c>ports</c> is empty or
/// one entry matches (protocol, TCP by default; number, range with endPort, or a named container port). Host-network
/// pods are outside NetworkPolicy. No API server or CNI exists here: this is the specification's consumer side.
/// </summary>
public sealed class NetworkPolicyEvaluator(IReadOnlyDictionary<string, IDictionary<string, string>> namespaceLabels)
{
    public sealed record Pod(string Name, string Namespace, IDictionary<string, string> Labels, IReadOnlyList<V1ContainerPort> Ports, bool HostNetwork = false);

    /// <summary>A connection's origin: a pod (labels and namespace), or only an address (a node, or outside the cluster).</summary>
    public sealed record Source(string Description, Pod? Pod, IPAddress? Address);

    private readonly List<(string Namespace, V1NetworkPolicy Policy)> _policies = [];

    public void Add(string @namespace, IEnumerable<V1NetworkPolicy> policies) => _policies.AddRange(policies.Select(p => (@namespace, p)));

    public bool MayConnect(Source source, Pod destination, int port, string protocol = "TCP")
    {
        if (destination.HostNetwork)
        {
            return true;
        }
        var selecting = _policies
            .Where(p => p.Namespace == destination.Namespace && AppliesToIngress(p.Policy) && Matches(p.Policy.Spec.PodSelector, destination.Labels))
            .ToList();
        if (selecting.Count == 0)
        {
            return true;
        }
        return selecting.Any(p => (p.Policy.Spec.Ingress ?? []).Any(rule =>
            PeerAllowed(rule, p.Namespace, source) && PortAllowed(rule, destination, port, protocol)));
    }

    private static bool AppliesToIngress(V1NetworkPolicy policy) =>
        policy.Spec.PolicyTypes is { Count: > 0 } types ? types.Contains("Ingress") : true;

    private bool PeerAllowed(V1NetworkPolicyIngressRule rule, string policyNamespace, Source source)
    {
        if (rule.FromProperty is not { Count: > 0 } peers)
        {
            return true;
        }
        return peers.Any(peer =>
        {
            if (peer.IpBlock is { } block)
            {
                return source.Address is { } address && InCidr(address, block.Cidr) && !(block.Except ?? []).Any(e => InCidr(address, e));
            }
            if (source.Pod is not { } pod)
            {
                return false;
            }
            var namespaceMatches = peer.NamespaceSelector is { } namespaces
                ? Matches(namespaces, namespaceLabels.TryGetValue(pod.Namespace, out var labels) ? labels : new Dictionary<string, string>())
                : pod.Namespace == policyNamespace;
            var podMatches = peer.PodSelector is not { } pods || Matches(pods, pod.Labels);
            return namespaceMatches && podMatches;
        });
    }

    private static bool PortAllowed(V1NetworkPolicyIngressRule rule, Pod destination, int port, string protocol)
    {
        if (rule.Ports is not { Count: > 0 } ports)
        {
            return true;
        }
        return ports.Any(entry =>
        {
            if ((entry.Protocol ?? "TCP") != protocol)
            {
                return false;
            }
            if (entry.Port is null)
            {
                return true;
            }
            if (int.TryParse(entry.Port.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                return entry.EndPort is { } end ? port >= number && port <= end : port == number;
            }
            return destination.Ports.Any(p => p.Name == entry.Port.Value && (p.Protocol ?? "TCP") == protocol && p.ContainerPort == port);
        });
    }

    /// <summary>A label selector: every matchLabels pair and every matchExpressions requirement; an empty selector matches all.</summary>
    public static bool Matches(V1LabelSelector selector, IDictionary<string, string> labels) =>
        (selector.MatchLabels ?? new Dictionary<string, string>()).All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value)
        && (selector.MatchExpressions ?? []).All(requirement => requirement.OperatorProperty switch
        {
            "In" => labels.TryGetValue(requirement.Key, out var value) && requirement.Values.Contains(value),
            "NotIn" => !labels.TryGetValue(requirement.Key, out var value) || !requirement.Values.Contains(value),
            "Exists" => labels.ContainsKey(requirement.Key),
            "DoesNotExist" => !labels.ContainsKey(requirement.Key),
            var other => throw new InvalidOperationException($"unknown label selector operator {other}"),
        });

    private static bool InCidr(IPAddress address, string cidr)
    {
        var network = IPNetwork.Parse(cidr);
        return network.Contains(address);
    }
}
