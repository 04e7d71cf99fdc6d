namespace Matrix.Stack.Wiring;

/// <summary>A named HTTP endpoint a component listens on (<c>http</c>, <c>replication</c>, <c>metrics</c>), by its container port.</summary>
public sealed record WiredEndpoint(string Name, int Port);
