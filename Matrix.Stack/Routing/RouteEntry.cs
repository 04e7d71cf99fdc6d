using Matrix.Stack.Catalog;

namespace Matrix.Stack.Routing;

/// <summary>A compiled route at a trie node: its filters and the decision it yields.</summary>
internal sealed record RouteEntry(bool GetOnly, RouteCondition Condition, RouteDecision Decision, int Order)
{
    /// <summary>Conditional and GET-only entries are tried before unconditional ones at the same node.</summary>
    public int Specificity => (Condition != RouteCondition.None ? 2 : 0) + (GetOnly ? 1 : 0);

    public bool Accepts(ref RouteRequest request)
    {
        if (GetOnly && !request.IsRead)
        {
            return false;
        }
        return Condition switch
        {
            RouteCondition.None => true,
            RouteCondition.InitialSync => !request.HasValue("since") || request.Value("full_state").SequenceEqual("true"),
            RouteCondition.EventsWithoutFrom => !request.HasValue("from"),
            _ => false,
        };
    }
}
