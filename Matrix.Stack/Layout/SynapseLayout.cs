using Matrix.Stack.Catalog;
using Matrix.Stack.Model;

namespace Matrix.Stack.Layout;

/// <summary>
/// The concrete Synapse processes of a deployment: names, hosts and ports, in catalog order.
/// Derived from <see cref="StackOptions"/> deterministically, so rendering the same options twice gives the same files.
/// </summary>
public sealed class SynapseLayout
{
    private SynapseLayout(IReadOnlyList<SynapseInstance> instances, SynapseHosting hosting, string hostPrefix, bool hasMas = false, string? masPathPrefix = null)
    {
        Instances = instances;
        Hosting = hosting;
        _hostPrefix = hostPrefix;
        HasMas = hasMas;
        MasPathPrefix = masPathPrefix;
    }

    private readonly string _hostPrefix;

    public SynapseHosting Hosting { get; }

    /// <summary>With <see cref="SynapseHosting.PoolServices"/>: the headless Service of a worker pool (<c>synapse-synchrotron</c>).</summary>
    public string PoolService(PoolDefinition pool) => _hostPrefix + pool.Name;

    /// <summary>Whether MAS does the logins (<c>mas.enabled</c>): its routes go to the <c>mas</c> pool.</summary>
    public bool HasMas { get; }

    /// <summary>The path of MAS's public base when it shares the homeserver's host (<see cref="Mas.MasEndpoints.SharedHostPathPrefix"/>).</summary>
    public string? MasPathPrefix { get; }

    public IReadOnlyList<SynapseInstance> Instances { get; }

    public SynapseInstance Main => Instances.First(i => i.IsMain);

    public IEnumerable<SynapseInstance> Workers => Instances.Where(i => !i.IsMain);

    public IReadOnlyList<SynapseInstance> InstancesOf(PoolType pool) => Instances.Where(i => i.PoolType == pool).ToList();

    public bool Has(PoolType pool) => Instances.Any(i => i.PoolType == pool);

    /// <summary>The processes that must appear in <c>instance_map</c>: main and every stream writer (only when workers exist).</summary>
    public IReadOnlyList<SynapseInstance> ReplicationInstances =>
        Workers.Any() ? Instances.Where(i => i.Pool.NeedsReplicationListener).ToList() : [];

    public static string InstanceName(PoolType pool, int index) => pool == PoolType.Main ? "main" : $"{pool.Name()}-{index}";

    public static SynapseLayout Create(StackOptions options, SynapseHosting hosting = SynapseHosting.ProcessHosts)
    {
        var synapse = options.Synapse;
        var shared = !string.IsNullOrEmpty(synapse.InstanceHost);
        if (shared && hosting == SynapseHosting.PoolServices)
        {
            throw new InvalidOperationException("synapse.instanceHost puts every process on one host; pool services need a host per pod");
        }
        var nextHttp = synapse.WorkerPortBase;
        var nextReplication = synapse.ReplicationPortBase;
        var nextMetrics = synapse.MetricsPort;
        var instances = new List<SynapseInstance>();

        foreach (var pool in WorkerCatalog.All.Where(p => p.IsSynapseProcess))
        {
            var count = pool.Type == PoolType.Main ? 1 : options.Count(pool.Type);
            for (var index = 1; index <= count; index++)
            {
                var name = InstanceName(pool.Type, index);
                int http, replication, metrics;
                if (!shared)
                {
                    (http, replication, metrics) = (synapse.HttpPort, synapse.ReplicationPort, synapse.MetricsPort);
                }
                else if (pool.Type == PoolType.Main)
                {
                    (http, replication, metrics) = (synapse.HttpPort, synapse.ReplicationPort, nextMetrics++);
                }
                else
                {
                    http = nextHttp++;
                    replication = pool.NeedsReplicationListener ? nextReplication++ : 0;
                    metrics = nextMetrics++;
                }
                http = synapse.HttpPortOverrides.GetValueOrDefault(name, http);
                replication = synapse.ReplicationPortOverrides.GetValueOrDefault(name, replication);
                instances.Add(new SynapseInstance(
                    name,
                    pool,
                    index,
                    shared ? synapse.InstanceHost
                    : hosting == SynapseHosting.PoolServices && pool.Type != PoolType.Main ? $"{name}.{synapse.HostPrefix}{pool.Name}"
                    : synapse.HostPrefix + name,
                    http,
                    pool.NeedsReplicationListener ? replication : null,
                    synapse.EnableMetrics ? metrics : null));
            }
        }
        return new SynapseLayout(instances, hosting, synapse.HostPrefix, options.Mas.Enabled, Mas.MasEndpoints.SharedHostPathPrefix(options));
    }
}
