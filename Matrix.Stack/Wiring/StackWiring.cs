using System.Globalization;
using Matrix.Stack.Layout;
using Matrix.Stack.Model;

namespace Matrix.Stack.Wiring;

/// <summary>
/// How the processes of a deployment are wired to each other, decided once: each component's name, endpoints and
/// environment. The CLI writes it as files (<see cref="Routing.RouterEnvironmentFile"/>), the AppHost turns it into
/// environment variables and endpoint references, and the Kubernetes output follows from the AppHost's model; none of
/// them decides a name, a pool or a variable on its own.
/// </summary>
public sealed class StackWiring
{
    private readonly Dictionary<string, WiredComponent> _components;

    private StackWiring(IEnumerable<WiredComponent> components) =>
        _components = components.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<WiredComponent> Components => _components.Values;

    public WiredComponent Router => this[ComponentNames.Router];

    public WiredComponent this[string name] =>
        _components.TryGetValue(name, out var component)
            ? component
            : throw new InvalidOperationException($"the deployment has no component '{name}'; it has {string.Join(", ", _components.Keys.Order(StringComparer.Ordinal))}");

    public static StackWiring Create(MatrixDeployment deployment, RouterTrust trust)
    {
        var options = deployment.Options;
        var components = deployment.Layout.Instances.Select(i => SynapseProcess(options.Synapse.HostPrefix, i)).ToList();
        components.AddRange(ScalablePoolServices(deployment.Layout));
        if (options.Mas.Enabled)
        {
            components.Add(new WiredComponent(options.Mas.Host, options.Mas.Host,
                [new WiredEndpoint(EndpointNames.Http, options.Mas.HttpPort), new WiredEndpoint(EndpointNames.Health, options.Mas.HealthPort)], []));
        }
        components.Add(RouterWiring.Create(options, deployment.Layout, trust));
        return new StackWiring(components);
    }

    /// <summary>The URL of an endpoint as the deployment's own files address it: <c>http://&lt;component&gt;:&lt;port&gt;</c>.</summary>
    public string UrlOf(EndpointUrlValue reference)
    {
        var component = this[reference.Component];
        return string.Create(CultureInfo.InvariantCulture, $"http://{component.Host}:{component.Endpoint(reference.Endpoint).Port}");
    }

    /// <summary>A Synapse process's component name: <c>synapse.hostPrefix</c> and its instance (its host unless hosts are shared).</summary>
    public static string SynapseComponentName(string hostPrefix, SynapseInstance instance) => hostPrefix + instance.Name;

    /// <summary>
    /// With <see cref="SynapseHosting.PoolServices"/>: the headless Service of each pool that scales without new config,
    /// reached as a whole (its name resolves to every ready pod), on its instances' HTTP port.
    /// </summary>
    public static IEnumerable<WiredComponent> ScalablePoolServices(SynapseLayout layout) =>
        layout.Hosting != SynapseHosting.PoolServices
            ? []
            : layout.Workers.Where(i => i.Pool.ScalesWithoutNewConfig).GroupBy(i => i.Pool.Name, StringComparer.Ordinal)
                .Select(pool => pool.First())
                .Select(first => new WiredComponent(layout.PoolService(first.Pool), layout.PoolService(first.Pool), [new WiredEndpoint(EndpointNames.Http, first.HttpPort)], []));

    private static WiredComponent SynapseProcess(string hostPrefix, SynapseInstance instance)
    {
        var endpoints = new List<WiredEndpoint> { new(EndpointNames.Http, instance.HttpPort) };
        if (instance.ReplicationPort is { } replication)
        {
            endpoints.Add(new WiredEndpoint(EndpointNames.Replication, replication));
        }
        if (instance.MetricsPort is { } metrics)
        {
            endpoints.Add(new WiredEndpoint(EndpointNames.Metrics, metrics));
        }
        return new WiredComponent(SynapseComponentName(hostPrefix, instance), instance.Host, endpoints, []);
    }
}
