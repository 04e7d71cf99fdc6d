using Matrix.Stack.Catalog;

namespace Matrix.Stack.Routing;

/// <summary>
/// Which pool serves a request, how it is balanced there, and where it may go when that pool has no healthy
/// instance. Decisions are built once per route table and shared: matching allocates nothing.
/// </summary>
public sealed class RouteDecision
{
    internal RouteDecision(PoolType pool, BalancePolicy balance, IReadOnlyList<PoolType> fallbacks, string? template)
    {
        Pool = pool;
        PoolName = pool.Name();
        Balance = balance;
        Fallbacks = fallbacks;
        Template = template;
    }

    public PoolType Pool { get; }

    public string PoolName { get; }

    public BalancePolicy Balance { get; }

    /// <summary>Pools present in the layout that may take the request when <see cref="Pool"/> cannot, in order.</summary>
    public IReadOnlyList<PoolType> Fallbacks { get; }

    public PoolType? Fallback => Fallbacks.Count > 0 ? Fallbacks[0] : null;

    /// <summary>The catalog route that matched; null for the default route to main.</summary>
    public string? Template { get; }

    /// <summary>The one-line JSON that <c>explain</c> prints.</summary>
    public string ToExplainJson() =>
        $"{{\"pool\":\"{PoolName}\",\"balance\":\"{Balance.Name()}\",\"fallback\":{(Fallback is { } f ? $"\"{f.Name()}\"" : "null")}}}";

    public override string ToString() => ToExplainJson();
}
