namespace Matrix.Stack.Wiring;

/// <summary>Endpoint names shared by every host of the wiring model.</summary>
public static class EndpointNames
{
    public const string Http = "http";
    public const string Replication = "replication";
    public const string Metrics = "metrics";
    public const string Health = "health";
    public const string Console = "console";
}
