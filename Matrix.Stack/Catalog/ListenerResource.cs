namespace Matrix.Stack.Catalog;

/// <summary>Names of Synapse HTTP listener resources (<c>listeners[].resources[].names</c>).</summary>
public static class ListenerResource
{
    public const string Client = "client";
    public const string Federation = "federation";
    public const string Media = "media";
    public const string Replication = "replication";
    public const string Health = "health";
    public const string Metrics = "metrics";
}
