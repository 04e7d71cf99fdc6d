namespace Matrix.Stack.Catalog;

/// <summary>Everything the stack knows about one kind of Synapse pool. Entries live in <see cref="WorkerCatalog"/>.</summary>
public sealed record PoolDefinition
{
    public required PoolType Type { get; init; }

    public string Name => Type.Name();

    /// <summary>One line saying what the pool is for (shown by the CLI and in docs).</summary>
    public required string Purpose { get; init; }

    /// <summary><c>worker_app</c>: <see cref="GenericWorker"/> unless the entry says otherwise (main runs <c>synapse.app.homeserver</c>).</summary>
    public string WorkerApp { get; init; } = GenericWorker;

    public const string GenericWorker = "synapse.app.generic_worker";

    /// <summary>Resources of the public HTTP listener. Empty (unless the entry says otherwise): the pool serves no requests, and gets a health-only listener for probes.</summary>
    public IReadOnlyList<string> PublicResources { get; init; } = [];

    /// <summary>The stream this pool writes, if it is a stream writer.</summary>
    public SynapseStream? Stream { get; init; }

    /// <summary>Whether Synapse allows more than one instance of this pool: true unless the entry says otherwise.</summary>
    public bool AllowsMultipleInstances { get; init; } = true;

    /// <summary>How requests are spread across instances, unless a route says otherwise.</summary>
    public BalancePolicy Balance { get; init; } = BalancePolicy.LeastBusy;

    /// <summary>Where its requests may go, in order, when the pool has no healthy instance (main for most; nowhere for media and SSO).</summary>
    public IReadOnlyList<PoolType> Fallback { get; init; } = [];

    /// <summary>The requests this pool serves, most specific first.</summary>
    public IReadOnlyList<RouteRule> Routes { get; init; } = [];

    /// <summary>False for MAS: a pool the router forwards to, but no Synapse process of the layout.</summary>
    public bool IsSynapseProcess { get; init; } = true;

    /// <summary>Pools that exist only when MAS is on (<c>mas.enabled</c>).</summary>
    public bool RequiresMas { get; init; }

    public bool ServesRequests => PublicResources.Count > 0 || !IsSynapseProcess;

    /// <summary>
    /// Synapse's shared config lists every instance of this pool (<c>federation_sender_instances</c>,
    /// <c>pusher_instances</c>): each process works out its share from that list, so all must change together.
    /// </summary>
    public bool InstancesListedBySynapse { get; init; }

    /// <summary>
    /// Whether more instances of this pool can join without a change to the shared config: Synapse allows several, no
    /// stream is written by it and no option names its instances, so a new worker needs only a name of its own.
    /// </summary>
    public bool ScalesWithoutNewConfig => AllowsMultipleInstances && IsSynapseProcess && Type != PoolType.Main && Stream is null && !InstancesListedBySynapse;

    /// <summary>Main and every stream writer must be reachable over HTTP replication (they appear in <c>instance_map</c>).</summary>
    public bool NeedsReplicationListener => Type == PoolType.Main || Stream is not null;
}
