using k8s;
using k8s.Models;

namespace Matrix.AppHost.Routing;

/// <summary>
/// A Gateway API <c>HTTPRoute</c> (<c>gateway.networking.k8s.io/v1</c>, standard channel): KubernetesClient has no model
/// of it, so this is the part of the v1 spec the router's route uses, serialised like every other object.
/// </summary>
public sealed class GatewayHttpRoute : IKubernetesObject<V1ObjectMeta>
{
    public const string GroupVersion = "gateway.networking.k8s.io/v1";
    public const string RouteKind = "HTTPRoute";

    public string ApiVersion { get; set; } = GroupVersion;

    public string Kind { get; set; } = RouteKind;

    public V1ObjectMeta Metadata { get; set; } = new();

    public RouteSpec Spec { get; set; } = new();

    public sealed class RouteSpec
    {
        public List<ParentReference> ParentRefs { get; set; } = [];

        public List<string>? Hostnames { get; set; }

        public List<RouteRule> Rules { get; set; } = [];
    }

    /// <summary>The Gateway (group and kind left to their defaults, <c>gateway.networking.k8s.io</c> and <c>Gateway</c>).</summary>
    public sealed class ParentReference
    {
        public string Name { get; set; } = "";

        public string? Namespace { get; set; }

        public string? SectionName { get; set; }
    }

    public sealed class RouteRule
    {
        public List<RouteMatch> Matches { get; set; } = [];

        public List<BackendReference> BackendRefs { get; set; } = [];
    }

    public sealed class RouteMatch
    {
        public PathMatch Path { get; set; } = new();
    }

    public sealed class PathMatch
    {
        /// <summary><c>PathPrefix</c>: element-wise, like an Ingress <c>Prefix</c> (<c>/_matrix</c> matches <c>/_matrix/client</c>, not <c>/_matrixx</c>).</summary>
        public string Type { get; set; } = "PathPrefix";

        public string Value { get; set; } = "/";
    }

    /// <summary>A Service in the route's namespace, by its port number (the Gateway API refers to ports by number only).</summary>
    public sealed class BackendReference
    {
        public string Name { get; set; } = "";

        public int Port { get; set; }
    }
}
