namespace Matrix.Stack.Wiring;

/// <summary>
/// Whom the router believes and lets in, which depends on where it runs rather than on the layout: under the dashboard
/// clients arrive through the orchestrator's loopback proxy; in Kubernetes through an ingress controller's pods.
/// Networks as the router reads them (comma-separated CIDRs, or <c>none</c>).
/// </summary>
public sealed record RouterTrust(string AdminAllowList, string TrustedProxies)
{
    /// <summary>Run on one machine: the admin API from loopback only, no forwarding header believed.</summary>
    public static RouterTrust Local { get; } = new("127.0.0.0/8,::1", "none");
}
