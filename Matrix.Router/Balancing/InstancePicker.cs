using Matrix.Router.Routing;
using Matrix.Stack.Catalog;

namespace Matrix.Router.Balancing;

/// <summary>
/// Chooses an instance of a pool for a request. Sticky policies use rendezvous (highest-random-weight) hashing:
/// each healthy instance scores <c>hash(key, instance)</c> and the best wins. Taking an instance out moves only the
/// keys it had; adding one of N moves about 1/N of the keys, all to it; keys of healthy instances never move.
/// Instances are skipped when unhealthy, excluded (already failed this request) or full.
/// </summary>
public static class InstancePicker
{
    /// <summary>Up to this many instances per pool can be marked as tried within one pick.</summary>
    private const int MaxTracked = 64;

    /// <summary>Picks and enters an instance, or returns null when none is healthy with room.</summary>
    public static PoolInstance? Acquire(BackendPool pool, BalancePolicy policy, ulong keyHash, PoolInstance? exclude)
    {
        var instances = pool.Instances;
        var cap = pool.ConcurrencyCapPerInstance;
        ulong full = 0;
        // A full instance is skipped and the next best tried; with no cap the first choice always enters.
        for (var attempt = 0; attempt < instances.Length; attempt++)
        {
            var index = policy.IsSticky()
                ? BestByHash(instances, keyHash, exclude, full)
                : policy == BalancePolicy.RoundRobin
                    ? NextInTurn(pool, instances, exclude, full)
                    : LeastBusy(pool, instances, exclude, full);
            if (index < 0)
            {
                return null;
            }
            var chosen = instances[index];
            if (cap is not { } limit)
            {
                chosen.Enter();
                return chosen;
            }
            if (chosen.TryEnter(limit))
            {
                return chosen;
            }
            if (index >= MaxTracked)
            {
                return null;
            }
            full |= 1UL << index;
        }
        return null;
    }

    private static bool Eligible(PoolInstance[] instances, int index, PoolInstance? exclude, ulong skipped) =>
        instances[index].IsHealthy
        && !ReferenceEquals(instances[index], exclude)
        && (index >= MaxTracked || (skipped & (1UL << index)) == 0);

    /// <summary>The eligible instance with the highest score for the key; -1 when none.</summary>
    public static int BestByHash(PoolInstance[] instances, ulong keyHash, PoolInstance? exclude, ulong skipped)
    {
        var best = -1;
        ulong bestScore = 0;
        for (var i = 0; i < instances.Length; i++)
        {
            if (!Eligible(instances, i, exclude, skipped))
            {
                continue;
            }
            var score = KeyHash.Score(keyHash, instances[i].Seed);
            if (best < 0 || score > bestScore)
            {
                best = i;
                bestScore = score;
            }
        }
        return best;
    }

    // Fewest requests in flight; the scan starts at a rotating offset so ties spread instead of piling on the first.
    private static int LeastBusy(BackendPool pool, PoolInstance[] instances, PoolInstance? exclude, ulong skipped)
    {
        if (instances.Length == 0)
        {
            return -1;
        }
        var start = instances.Length == 1 ? 0 : pool.NextRoundRobin() % instances.Length;
        var best = -1;
        var bestLoad = int.MaxValue;
        for (var n = 0; n < instances.Length; n++)
        {
            var i = (start + n) % instances.Length;
            if (!Eligible(instances, i, exclude, skipped))
            {
                continue;
            }
            var load = instances[i].InFlight;
            if (load < bestLoad)
            {
                best = i;
                bestLoad = load;
            }
        }
        return best;
    }

    private static int NextInTurn(BackendPool pool, PoolInstance[] instances, PoolInstance? exclude, ulong skipped)
    {
        if (instances.Length == 0)
        {
            return -1;
        }
        var start = pool.NextRoundRobin() % instances.Length;
        for (var n = 0; n < instances.Length; n++)
        {
            var i = (start + n) % instances.Length;
            if (Eligible(instances, i, exclude, skipped))
            {
                return i;
            }
        }
        return -1;
    }
}
