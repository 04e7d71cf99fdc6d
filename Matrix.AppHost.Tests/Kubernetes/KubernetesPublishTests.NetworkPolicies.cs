using System.Net;
using k8s.Models;
using Matrix.AppHost.Authentication;
using Matrix.AppHost.Kubernetes;
using static Matrix.AppHost.Tests.Kubernetes.NetworkPolicyEvaluator;

namespace Matrix.AppHost.Tests.Kubernetes;

/// <summary>
/// Who may reach whom once the output's NetworkPolicies are applied in a namespace <c>matrix</c>, answered from the
/// policies' specification (<see cref="NetworkPolicyEvaluator"/>) for the pods the output runs.
/// </summary>
public sealed partial class KubernetesPublishTests
{
    private const string StackNamespace = "matrix";

    private static readonly Source Outsider = new("a pod of another namespace", new Pod("intruder", "elsewhere", Labels(("app", "intruder")), []), IPAddress.Parse("10.1.0.9"));
    private static readonly Source Neighbour = new("a pod of the namespace that is not the stack's", new Pod("debug", StackNamespace, Labels(("app", "debug")), []), IPAddress.Parse("10.1.0.10"));
    private static readonly Source IngressController = new("the ingress controller", new Pod("controller", "ingress-nginx", Labels(("app.kubernetes.io/name", "ingress-nginx")), []), IPAddress.Parse("10.1.0.11"));
    private static readonly Source Internet = new("an address outside the cluster", null, IPAddress.Parse("203.0.113.7"));
    private static readonly Source Node = new("a host-network pod (its node's address)", null, IPAddress.Parse("192.168.10.4"));

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task OnlyTheStacksPodsReachSynapseAndTheDataStoresWhileTheRouterIsOpenToTheIngressController(string preset)
    {
        var output = await PublishAsync(preset);
        var (network, pods) = Network(output);
        var router = pods["router"];
        var main = pods["synapse-main"];

        var synapse = pods.Values.Where(p => p.Labels.ContainsKey(KubernetesLabels.Pool)).ToList();
        Assert.NotEmpty(synapse);
        foreach (var pod in synapse)
        {
            Assert.True(network.MayConnect(From(router), pod, Port(pod, "http")), $"the router cannot reach {pod.Name}'s http port");
            foreach (var port in pod.Ports)
            {
                foreach (var stranger in new[] { Outsider, Neighbour, IngressController, Internet })
                {
                    Assert.False(network.MayConnect(stranger, pod, port.ContainerPort, port.Protocol), $"{stranger.Description} reaches {pod.Name}:{port.Name}");
                }
            }
        }
        Assert.Contains(main.Ports, p => p.Name == "replication");

        foreach (var store in new[] { "postgres", "redis", "minio" }.Where(pods.ContainsKey).Select(name => pods[name]))
        {
            Assert.True(network.MayConnect(From(main), store, store.Ports[0].ContainerPort), $"synapse-main cannot reach {store.Name}");
            Assert.All(store.Ports, port => Assert.False(network.MayConnect(Outsider, store, port.ContainerPort), $"{Outsider.Description} reaches {store.Name}:{port.Name}"));
            Assert.All(store.Ports, port => Assert.False(network.MayConnect(Neighbour, store, port.ContainerPort), $"{Neighbour.Description} reaches {store.Name}:{port.Name}"));
        }

        Assert.True(network.MayConnect(IngressController, router, Port(router, "http")), "the ingress controller cannot reach the router");
        Assert.True(network.MayConnect(Internet, router, Port(router, "http")), "the router is not open to a load balancer's traffic");

        if (pods.TryGetValue("livekit-redis", out var liveKitRedis) && pods.ContainsKey("livekit"))
        {
            Assert.True(network.MayConnect(Node, liveKitRedis, liveKitRedis.Ports[0].ContainerPort), "LiveKit (host network) cannot reach its Redis");
        }
        if (pods.TryGetValue("mas", out var mas))
        {
            Assert.True(network.MayConnect(IngressController, mas, Port(mas, MasResource.HttpEndpointName)), "the ingress controller cannot reach MAS");
            Assert.False(network.MayConnect(Outsider, mas, Port(mas, MasResource.HealthEndpointName)), "MAS's health listener is reachable from another namespace");
            Assert.True(network.MayConnect(From(router), mas, Port(mas, MasResource.HttpEndpointName)), "the router cannot reach MAS");
        }
        // Host-network pods are outside NetworkPolicy: nothing the output says can restrict them (docs/kubernetes.md).
        Assert.All(pods.Values.Where(p => p.HostNetwork), pod => Assert.True(network.MayConnect(Outsider, pod, pod.Ports[0].ContainerPort, pod.Ports[0].Protocol)));
    }

    [Fact]
    public void TheNetworkPolicyEvaluatorFollowsTheSpecification()
    {
        var web = new Pod("web", "shop", Labels(("app", "web")), [new V1ContainerPort { Name = "http", ContainerPort = 8080, Protocol = "TCP" }]);
        var client = new Source("client", new Pod("client", "shop", Labels(("app", "client")), []), IPAddress.Parse("10.0.0.2"));
        var monitoring = new Source("prometheus", new Pod("prometheus", "monitoring", Labels(("app", "prometheus")), []), IPAddress.Parse("10.0.0.3"));
        var namespaces = new Dictionary<string, IDictionary<string, string>>(StringComparer.Ordinal)
        {
            ["shop"] = Labels(("kubernetes.io/metadata.name", "shop")), ["monitoring"] = Labels(("kubernetes.io/metadata.name", "monitoring")),
        };
        var network = new NetworkPolicyEvaluator(namespaces);
        Assert.True(network.MayConnect(client, web, 8080), "a pod no policy selects accepts everything");

        network.Add("shop", [Policy(new V1LabelSelector(), [])]);
        Assert.False(network.MayConnect(client, web, 8080), "a policy without rules denies all");

        network.Add("shop", [Policy(Selector(("app", "web")), [new V1NetworkPolicyIngressRule
        {
            FromProperty = [new V1NetworkPolicyPeer { PodSelector = Selector(("app", "client")) }],
            Ports = [new V1NetworkPolicyPort { Port = "http", Protocol = "TCP" }],
        }])]);
        Assert.True(network.MayConnect(client, web, 8080), "the named port of a matching pod");
        Assert.False(network.MayConnect(client, web, 8080, "UDP"), "another protocol");
        Assert.False(network.MayConnect(client, web, 9090), "another port");
        Assert.False(network.MayConnect(monitoring, web, 8080), "a podSelector alone selects only pods of the policy's namespace");

        network.Add("shop", [Policy(Selector(("app", "web")), [new V1NetworkPolicyIngressRule
        {
            FromProperty = [new V1NetworkPolicyPeer { NamespaceSelector = Selector(("kubernetes.io/metadata.name", "monitoring")) }],
            Ports = [new V1NetworkPolicyPort { Port = 9000, EndPort = 9100 }],
        }, new V1NetworkPolicyIngressRule
        {
            FromProperty = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "203.0.113.0/24", Except = ["203.0.113.128/25"] } }],
        }])]);
        Assert.True(network.MayConnect(monitoring, web, 9090), "a namespace selector and a port range");
        Assert.False(network.MayConnect(monitoring, web, 8080), "outside the range");
        Assert.True(network.MayConnect(new Source("lb", null, IPAddress.Parse("203.0.113.5")), web, 1234), "inside the ipBlock");
        Assert.False(network.MayConnect(new Source("lb", null, IPAddress.Parse("203.0.113.200")), web, 1234), "in the ipBlock's except");
        Assert.True(network.MayConnect(monitoring, web with { HostNetwork = true }, 8080), "host-network pods are outside NetworkPolicy");
    }

    private static (NetworkPolicyEvaluator Network, Dictionary<string, Pod> Pods) Network(KubernetesOutput output)
    {
        var namespaces = new[] { StackNamespace, "elsewhere", "ingress-nginx" }
            .ToDictionary(name => name, name => (IDictionary<string, string>)Labels(("kubernetes.io/metadata.name", name)), StringComparer.Ordinal);
        var network = new NetworkPolicyEvaluator(namespaces);
        var policies = output.Of<V1NetworkPolicy>().ToList();
        Assert.Contains(policies, p => p.Metadata.Name == KubernetesNetworkPolicies.StackOnlyName);
        network.Add(StackNamespace, policies);
        var pods = output.Workloads.ToDictionary(
            w => w.Name,
            w => new Pod(w.Name, StackNamespace, w.Template.Metadata.Labels, [.. w.Container.Ports ?? []], w.Template.Spec.HostNetwork == true),
            StringComparer.Ordinal);
        return (network, pods);
    }

    private static Source From(Pod pod) => new(pod.Name, pod, IPAddress.Parse("10.2.0.1"));

    private static int Port(Pod pod, string name) =>
        pod.Ports.SingleOrDefault(p => p.Name == name)?.ContainerPort ?? throw new Xunit.Sdk.XunitException($"{pod.Name} has no port {name}");

    private static Dictionary<string, string> Labels(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static V1LabelSelector Selector(params (string Key, string Value)[] pairs) => new() { MatchLabels = Labels(pairs) };

    private static V1NetworkPolicy Policy(V1LabelSelector pods, List<V1NetworkPolicyIngressRule> rules) =>
        new() { Metadata = new V1ObjectMeta { Name = "p" }, Spec = new V1NetworkPolicySpec { PodSelector = pods, PolicyTypes = ["Ingress"], Ingress = rules } };
}
