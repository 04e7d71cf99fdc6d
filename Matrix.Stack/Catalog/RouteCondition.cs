namespace Matrix.Stack.Catalog;

/// <summary>A condition on the query string that a route needs besides its path.</summary>
public enum RouteCondition
{
    None,

    /// <summary><c>/sync</c> without <c>since</c>, or with <c>full_state=true</c>: an initial sync.</summary>
    InitialSync,

    /// <summary><c>/events</c> without <c>from</c>: the legacy initial event stream.</summary>
    EventsWithoutFrom,
}
