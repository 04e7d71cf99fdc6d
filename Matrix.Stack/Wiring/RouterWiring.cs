using Matrix.Stack.Catalog;
using Matrix.Stack.Layout;
using Matrix.Stack.Mas;
using Matrix.Stack.Model;

namespace Matrix.Stack.Wiring;

/// <summary>
/// Matrix.Router's environment: every process that serves requests as an explicit <c>Router__Pools__&lt;pool&gt;__&lt;instance&gt;</c>
/// entry (processes that serve none, such as the federation senders or background workers, are not the router's),
/// MAS when it is on, the media body limit (<c>synapse.maxUploadSize</c>), and the trust lists of where it runs. '_' stands for '-' in pool and instance names, so each
/// name is a valid shell variable name too.
/// </summary>
public static class RouterWiring
{
    public static WiredComponent Create(StackOptions options, SynapseLayout layout, RouterTrust trust)
    {
        var environment = new List<WiredVariable>();
        var poolServices = StackWiring.ScalablePoolServices(layout).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var instance in layout.Instances.Where(i => i.Pool.ServesRequests))
        {
            if (poolServices.Contains(layout.PoolService(instance.Pool)))
            {
                // One destination for the whole pool: the router turns its name into one instance per address (per ready pod).
                if (instance == layout.InstancesOf(instance.PoolType)[0])
                {
                    environment.Add(new WiredVariable(PoolVariable(instance.PoolType, layout.PoolService(instance.Pool)), new EndpointUrlValue(layout.PoolService(instance.Pool), EndpointNames.Http)));
                }
                continue;
            }
            environment.Add(new WiredVariable(PoolVariable(instance.PoolType, instance.Name), new EndpointUrlValue(StackWiring.SynapseComponentName(options.Synapse.HostPrefix, instance), EndpointNames.Http)));
        }
        if (poolServices.Count > 0)
        {
            // A pool's pods come and go with `kubectl scale`: the router looks again every few seconds (docs/router.md).
            environment.Add(new WiredVariable("Router__Dns__RefreshInterval", new LiteralValue(PoolServiceRefreshSeconds)));
        }
        if (options.Mas.Enabled)
        {
            environment.Add(new WiredVariable(PoolVariable(PoolType.Mas, options.Mas.Host), new EndpointUrlValue(options.Mas.Host, EndpointNames.Http)));
            if (MasEndpoints.SharedHostPathPrefix(options) is { } masPath)
            {
                environment.Add(new WiredVariable("Router__MasPathPrefix", new LiteralValue(masPath)));
            }
        }
        // The media pool accepts what Synapse's media repository accepts; a larger body would be refused by Synapse anyway.
        environment.Add(new WiredVariable("Router__Limits__MaxUploadSize", new LiteralValue(options.Synapse.MaxUploadSize)));
        environment.Add(new WiredVariable("Router__AdminAllowList", new LiteralValue(trust.AdminAllowList)));
        environment.Add(new WiredVariable("Router__TrustedProxies", new LiteralValue(trust.TrustedProxies)));
        // Its own listener is the host's to place (a .NET project: a port Aspire assigns, a container port in Kubernetes).
        return new WiredComponent(ComponentNames.Router, ComponentNames.Router, [], environment);
    }

    /// <summary>How often the router resolves the pool Services again, so a scaled pool is followed within seconds.</summary>
    public const string PoolServiceRefreshSeconds = "5s";

    /// <summary><c>Router__Pools__client_reader__client_reader_1</c>: the router reads '_' as '-' in both names.</summary>
    public static string PoolVariable(PoolType pool, string instance) =>
        $"Router__Pools__{pool.Name().Replace('-', '_')}__{instance.Replace('-', '_')}";
}
