namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// The pod uses the node's network: UDP media (TURN relays, WebRTC) needs a port range, which a Service cannot forward,
/// and the addresses the component advertises must be the ones clients reach.
/// </summary>
public sealed record HostNetworkAnnotation : IResourceAnnotation;
