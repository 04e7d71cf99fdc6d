namespace Matrix.Stack.Catalog;

/// <summary>
/// One family of requests a pool serves.
/// <see cref="Template"/> is a path whose segments are literals, alternations <c>{r0|v3}</c> (an alternative may
/// span segments: <c>{api/v1|v3}</c>), <c>*</c> (exactly one segment) or a final <c>**</c> (one or more segments, an
/// empty one included, as after a trailing slash).
/// </summary>
public sealed record RouteRule(string Template)
{
    /// <summary>Only GET (and HEAD) requests: Synapse lets generic workers serve the read side of some stream endpoints.</summary>
    public bool GetOnly { get; init; }

    public RouteCondition Condition { get; init; } = RouteCondition.None;

    /// <summary>Overrides the pool's balance policy for this route (pagination is hashed by room).</summary>
    public BalancePolicy? Balance { get; init; }

    /// <summary>Pools that serve these requests, in order, when the owning pool is absent from the layout. Main always comes last.</summary>
    public IReadOnlyList<PoolType> WhenAbsent { get; init; } = [];
}
