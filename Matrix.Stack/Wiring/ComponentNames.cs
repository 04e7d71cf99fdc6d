namespace Matrix.Stack.Wiring;

/// <summary>
/// The names of the components that are not Synapse processes (whose names are their layout hosts, <c>synapse.hostPrefix</c>
/// plus the instance). A component's name is its Aspire resource, its Kubernetes Service and the host the files use.
/// </summary>
public static class ComponentNames
{
    public const string Router = "router";
    public const string MediaJanitor = "media-janitor";
}
