using Matrix.AppHost.Kubernetes;
using Matrix.Stack.Wiring;

namespace Matrix.AppHost.Routing;

/// <summary>
/// Whom the router trusts where this model runs: under the dashboard <c>Matrix:Router:AdminAllowList</c> and
/// <c>Matrix:Router:TrustedProxies</c> (default: the admin API from loopback, the orchestrator's proxy included; no
/// forwarding header believed); when published for Kubernetes, <see cref="KubernetesPublishSettings"/>' values (the
/// ingress controller's pods). One value each, handed to the wiring model, so no later step rewrites them.
/// </summary>
public static class RouterTrustSettings
{
    public const string AdminAllowListKey = "Matrix:Router:AdminAllowList";
    public const string TrustedProxiesKey = "Matrix:Router:TrustedProxies";

    public static RouterTrust Read(IDistributedApplicationBuilder builder, KubernetesPublishSettings kubernetes)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return new RouterTrust(kubernetes.RouterAdminAllowList, kubernetes.RouterTrustedProxies);
        }
        var configuration = builder.Configuration;
        return new RouterTrust(
            configuration[AdminAllowListKey] is { Length: > 0 } admins ? admins : RouterTrust.Local.AdminAllowList,
            configuration[TrustedProxiesKey] is { Length: > 0 } proxies ? proxies : RouterTrust.Local.TrustedProxies);
    }
}
