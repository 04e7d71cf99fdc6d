namespace Matrix.Stack.Wiring;

/// <summary>
/// One process of the deployment as the others see it: its name (the Aspire resource, the Kubernetes Service, the host
/// name the generated files use), the host others reach it at (its name, except for Synapse processes sharing one
/// <c>synapse.instanceHost</c>), the endpoints it listens on, and the environment it is given.
/// </summary>
public sealed record WiredComponent(string Name, string Host, IReadOnlyList<WiredEndpoint> Endpoints, IReadOnlyList<WiredVariable> Environment)
{
    public WiredEndpoint Endpoint(string name) =>
        Endpoints.FirstOrDefault(e => e.Name == name)
        ?? throw new InvalidOperationException($"{Name} has no endpoint '{name}'; it has {string.Join(", ", Endpoints.Select(e => e.Name))}");
}
