using Matrix.Stack.Catalog;
using Matrix.Stack.Layout;
using Matrix.Stack.Model;
using Matrix.Stack.Yaml;

namespace Matrix.Stack.Synapse;

/// <summary>
/// Synapse listener entries (<c>listeners</c> of main, <c>worker_listeners</c> of a worker): the public HTTP listener
/// with the resources its pool serves, the replication listener of processes in <c>instance_map</c>, and the metrics
/// listener. Ports come from the layout, so the files and the layout cannot disagree.
/// </summary>
public static class ListenerConfig
{
    /// <summary>Every listener of one process, public first.</summary>
    public static IReadOnlyList<object?> For(SynapseInstance instance, SynapseLayout layout, SynapseOptions options)
    {
        var listeners = new List<object?> { Public(instance, options) };
        if (layout.ReplicationInstances.Contains(instance))
        {
            listeners.Add(Replication(instance, options));
        }
        if (instance.MetricsPort is { } metricsPort)
        {
            listeners.Add(Metrics(metricsPort, options));
        }
        return listeners;
    }

    /// <summary>
    /// The HTTP listener the router sends requests to, with exactly the catalog's resources. Pools that serve no
    /// requests still get one, with only the <c>health</c> resource, so container probes work.
    /// </summary>
    public static YamlMapping Public(SynapseInstance instance, SynapseOptions options)
    {
        var serves = instance.Pool.ServesRequests;
        var listener = Http(instance.HttpPort, options);
        if (serves)
        {
            // Requests arrive through the router: the client address is in X-Forwarded-For.
            listener.Add("x_forwarded", options.XForwarded);
        }
        listener.Add("resources", new List<object?> { Resources(serves ? instance.Pool.PublicResources : [ListenerResource.Health]) });
        return listener;
    }

    /// <summary>HTTP replication (<c>/_synapse/replication</c>): reachable only inside the deployment's network.</summary>
    public static YamlMapping Replication(SynapseInstance instance, SynapseOptions options)
    {
        var port = instance.ReplicationPort
            ?? throw new InvalidOperationException($"{instance.Name} is in instance_map but has no replication port");
        var listener = Http(port, options);
        listener.Add("resources", new List<object?> { Resources([ListenerResource.Replication]) });
        return listener;
    }

    /// <summary>Prometheus metrics on their own port (<c>enable_metrics</c> must be on).</summary>
    public static YamlMapping Metrics(int port, SynapseOptions options) => new()
    {
        { "type", "metrics" },
        { "port", port },
        { "bind_addresses", ListenerBinding.MetricsAddresses(options) },
    };

    private static YamlMapping Http(int port, SynapseOptions options) => new()
    {
        { "type", "http" },
        { "port", port },
        { "tls", false },
        { "bind_addresses", ListenerBinding.Addresses(options) },
    };

    private static YamlMapping Resources(IEnumerable<string> names) => new()
    {
        { "names", names.Cast<object?>().ToList() },
        { "compress", false },
    };
}
