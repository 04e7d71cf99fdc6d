using System.Globalization;
using Matrix.Stack.Layout;
using Matrix.Stack.Model;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.Wiring;

/// <summary>
/// How the processes of a deployment are wired to each other, decided once: each component's name, endpoints and
/// environment (Synapse's processes, MAS, the stack's MinIO, the media janitor, the router). The CLI writes it as files (<see cref="Routing.RouterEnvironmentFile"/>), the AppHost turns it into
/// environment variables and endpoint references, and the Kubernetes output follows from the AppHost's model; none of
/// them decides a name, a pool or a variable on its own.
/// </summary>
public sealed class StackWiring
{
    private readonly Dictionary<string, WiredComponent> _components;

    private StackWiring(IEnumerable<WiredComponent> components) =>
        _components = components.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public WiredComponent Router => this[ComponentNames.Router];

    public WiredComponent this[string name] =>
        _components.TryGetValue(name, out var component)
            ? component
            : throw new InvalidOperationException($"the deployment has no component '{name}'; it has {string.Join(", ", _components.Keys.Order(StringComparer.Ordinal))}");

    /// <param name="hostMediaStorePath">Run on one machine with the janitor on the host: the host folder the media store is bind-mounted from.</param>
    /// <param name="s3StandIn">A local run's s3rver stands in for MinIO (<see cref="ComponentNames.S3rver"/>).</param>
    public static StackWiring Create(MatrixDeployment deployment, RouterTrust trust, string? hostMediaStorePath = null, bool s3StandIn = false)
    {
        var options = deployment.Options;
        var components = deployment.Layout.Instances.Select(i => SynapseProcess(options, i)).ToList();
        components.AddRange(ScalablePoolServices(deployment.Layout));
        if (options.Mas.Enabled)
        {
            components.Add(new WiredComponent(options.Mas.Host, options.Mas.Host,
                [new WiredEndpoint(EndpointNames.Http, options.Mas.HttpPort), new WiredEndpoint(EndpointNames.Health, options.Mas.HealthPort)], []));
        }
        if (options.S3.UsesStackMinIO)
        {
            components.Add(new WiredComponent(ComponentNames.MinIO, ComponentNames.MinIO,
                [new WiredEndpoint(EndpointNames.Http, S3MediaOptions.StackMinIOPort), new WiredEndpoint(EndpointNames.Console, S3MediaOptions.StackMinIOConsolePort)],
                [new WiredVariable("MINIO_ROOT_USER", new SecretValue(SecretName.S3AccessKeyId)), new WiredVariable("MINIO_ROOT_PASSWORD", new SecretValue(SecretName.S3SecretAccessKey))]));
        }
        if (options.S3.Enabled)
        {
            components.Add(MediaJanitorWiring.Create(options, hostMediaStorePath, s3StandIn));
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

    private static WiredComponent SynapseProcess(StackOptions options, SynapseInstance instance)
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
        // libpq reads the database password from PGPASSWORD (homeserver.yaml holds none); the S3 storage provider (boto3)
        // its credentials from the standard AWS variables.
        var environment = new List<WiredVariable> { new("PGPASSWORD", new SecretValue(SecretName.PostgresPassword)) };
        environment.AddRange(Synapse.SynapseSecrets.Environment(options).Select(v => new WiredVariable(v.Key, new SecretValue(v.Value))));
        return new WiredComponent(SynapseComponentName(options.Synapse.HostPrefix, instance), instance.Host, endpoints, environment);
    }
}
