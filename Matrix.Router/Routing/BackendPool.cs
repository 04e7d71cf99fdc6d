using Matrix.Stack.Catalog;

namespace Matrix.Router.Routing;

/// <summary>The instances of one pool. The set is replaced whole when DNS re-resolution changes it.</summary>
public sealed class BackendPool(PoolType type, int? concurrencyCapPerInstance)
{
    private PoolInstance[] _instances = [];
    private int _roundRobin;

    public PoolType Type { get; } = type;

    public string Name { get; } = type.Name();

    /// <summary>Requests in flight allowed per instance; beyond it the pool counts as full (initial-synchrotron).</summary>
    public int? ConcurrencyCapPerInstance { get; } = concurrencyCapPerInstance;

    public PoolInstance[] Instances
    {
        get => Volatile.Read(ref _instances);
        set => Volatile.Write(ref _instances, value);
    }

    public int NextRoundRobin() => Interlocked.Increment(ref _roundRobin) & int.MaxValue;
}
