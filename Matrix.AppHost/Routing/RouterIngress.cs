using k8s.Models;
using Matrix.AppHost.Kubernetes;
using Matrix.Stack.Model;

namespace Matrix.AppHost.Routing;

/// <summary>
/// The router's entry from outside the cluster when published: an Ingress <see cref="Name"/> that sends
/// <see cref="Paths"/> to the router's Service, for the host of the public base URL (plus the federation host when it
/// differs) unless <c>Matrix:Kubernetes:Ingress:Host</c> names one; or, with <c>Matrix:Kubernetes:Gateway:Name</c>, a
/// Gateway API HTTPRoute of the same name, hosts and paths attached to that Gateway instead.
/// </summary>
public static class RouterIngress
{
    public const string FileName = "ingress.yaml";
    public const string HttpRouteFileName = "http-route.yaml";
    public const string Name = "matrix";

    /// <summary>The paths the router serves to the outside: client and federation APIs, Synapse's client pages, delegation.</summary>
    public static readonly IReadOnlyList<string> Paths = ["/_matrix", "/_synapse/client", "/.well-known/matrix"];

    /// <summary>The public hosts the entry answers for.</summary>
    public static List<string> Hosts(StackOptions options, KubernetesPublishSettings settings)
    {
        var hosts = new List<string> { settings.IngressHost ?? new Uri(options.EffectivePublicBaseUrl).Host };
        var federationHost = options.EffectiveFederationAuthority.Split(':')[0];
        if (settings.IngressHost is null && !hosts.Contains(federationHost, StringComparer.OrdinalIgnoreCase))
        {
            hosts.Add(federationHost);
        }
        return hosts;
    }

    public static void AddTo(KubernetesResourceObjects objects, StackOptions options)
    {
        var settings = objects.Settings;
        var router = objects.Resource;
        var endpoint = router.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == MatrixRouterExtensions.HttpEndpoint);
        var hosts = Hosts(options, settings);
        if (settings.GatewayName is { } gateway)
        {
            objects.AddToSharedFile(HttpRouteFileName, new GatewayHttpRoute
            {
                Metadata = KubernetesLabels.Metadata(Name, router),
                Spec = new GatewayHttpRoute.RouteSpec
                {
                    ParentRefs = [new GatewayHttpRoute.ParentReference { Name = gateway, Namespace = settings.GatewayNamespace, SectionName = settings.GatewaySectionName }],
                    Hostnames = hosts,
                    Rules =
                    [
                        new GatewayHttpRoute.RouteRule
                        {
                            Matches = Paths.Select(path => new GatewayHttpRoute.RouteMatch { Path = new GatewayHttpRoute.PathMatch { Value = path } }).ToList(),
                            BackendRefs = [new GatewayHttpRoute.BackendReference { Name = router.Name, Port = KubernetesPorts.Of(endpoint, router) }],
                        },
                    ],
                },
            });
            return;
        }
        var backend = new V1IngressBackend
        {
            Service = new V1IngressServiceBackend { Name = router.Name, Port = new V1ServiceBackendPort { Name = KubernetesPorts.Name(endpoint) } },
        };
        objects.AddToSharedFile(FileName, new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1", Kind = V1Ingress.KubeKind,
            Metadata = KubernetesLabels.Metadata(Name, router),
            Spec = new V1IngressSpec
            {
                IngressClassName = settings.IngressClassName,
                Tls = settings.IngressTlsSecret is { } tls ? [new V1IngressTLS { Hosts = hosts, SecretName = tls }] : null,
                Rules = hosts.Select(host => new V1IngressRule
                {
                    Host = host,
                    Http = new V1HTTPIngressRuleValue
                    {
                        Paths = Paths.Select(path => new V1HTTPIngressPath { Path = path, PathType = "Prefix", Backend = backend }).ToList(),
                    },
                }).ToList(),
            },
        });
    }
}
