using Matrix.Router.Balancing;
using Matrix.Router.Configuration;
using Matrix.Router.Health;
using Matrix.Router.Status;
using Matrix.Stack.Catalog;

namespace Matrix.Router.Routing;

/// <summary>One Synapse process the router forwards to: its address, health and load.</summary>
public sealed class PoolInstance
{
    private int _inFlight;
    private long _requests;
    private long _failures;

    public PoolInstance(PoolType pool, string destinationPrefix, PoolDestination source, ActiveHealthOptions health, PassiveHealthOptions? passiveHealth = null)
    {
        Pool = pool;
        PoolName = pool.Name();
        DestinationPrefix = destinationPrefix.TrimEnd('/');
        Source = source;
        Seed = KeyHash.Of(DestinationPrefix.AsSpan());
        Health = new InstanceHealth(health, passiveHealth ?? new PassiveHealthOptions());
    }

    public PoolType Pool { get; }

    public string PoolName { get; }

    /// <summary><c>http://host:port</c>: where requests go, and the instance's identity (its hash seed, its metric tag).</summary>
    public string DestinationPrefix { get; }

    /// <summary>The configured destination this instance comes from (a DNS name may give several instances).</summary>
    public PoolDestination Source { get; }

    /// <summary>The instance's place on the hash ring: derived from its address, so every router replica agrees.</summary>
    public ulong Seed { get; }

    public InstanceHealth Health { get; }

    public bool IsHealthy => Health.IsHealthy;

    public int InFlight => Volatile.Read(ref _inFlight);

    public long Requests => Interlocked.Read(ref _requests);

    public long Failures => Interlocked.Read(ref _failures);

    public RequestRate Rate { get; } = new();

    public void Enter()
    {
        Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _requests);
    }

    /// <summary>Enters unless <paramref name="cap"/> requests are already in flight.</summary>
    public bool TryEnter(int cap)
    {
        if (Interlocked.Increment(ref _inFlight) > cap)
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }
        Interlocked.Increment(ref _requests);
        return true;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);

    public void CountFailure() => Interlocked.Increment(ref _failures);

    public override string ToString() => $"{PoolName} {DestinationPrefix}";
}
