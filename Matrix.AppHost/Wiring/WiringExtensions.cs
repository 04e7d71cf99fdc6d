using Matrix.AppHost.Configuration;
using Matrix.Stack.Wiring;

namespace Matrix.AppHost.Wiring;

public static class WiringExtensions
{
    /// <summary>
    /// Gives a resource what Matrix.Stack's wiring model states for its component: its endpoints (by the model's names and
    /// container ports, plain HTTP inside the deployment) and its environment: literals as they are, secrets as the
    /// stack's secret parameters (a <c>secretKeyRef</c> in Kubernetes), endpoint URLs and connection strings as references
    /// to the named resource (a host port in run mode, the Service in Kubernetes), each also a relationship on the
    /// dashboard. The environment is that of the placement it is evaluated for (<see cref="MatrixStack.WiringFor"/>): the
    /// router's pools differ between one resource per process and the Kubernetes pools. Every referenced resource must be
    /// in the model already, so the model reads in dependency order.
    /// </summary>
    public static IResourceBuilder<T> WithWiring<T>(this IResourceBuilder<T> resource, MatrixStack stack)
        where T : IResourceWithEnvironment, IResourceWithEndpoints
    {
        var name = resource.Resource.Name;
        foreach (var endpoint in stack.Wiring[name].Endpoints)
        {
            resource.WithHttpEndpoint(targetPort: endpoint.Port, name: endpoint.Name);
        }
        // Run mode has one placement; a published model may be evaluated for either.
        StackWiring[] wirings = resource.ApplicationBuilder.ExecutionContext.IsRunMode ? [stack.Wiring] : [stack.Wiring, stack.PoolHosted.Wiring];
        var placements = wirings.ToDictionary(wiring => wiring, wiring => Environment(resource.ApplicationBuilder, wiring[name], stack));
        foreach (var (_, value) in placements[stack.Wiring])
        {
            if (value switch { EndpointReference e => e.Resource, ConnectionStringReference c => c.Resource, IResource r => r, _ => null } is { } target)
            {
                resource.WithReferenceRelationship(target);
            }
        }
        return resource.WithEnvironment(context =>
        {
            foreach (var (variable, value) in placements[stack.WiringFor(context.ExecutionContext)])
            {
                context.EnvironmentVariables[variable] = value;
            }
        });
    }

    // Each variable's value in the form the hosts (Aspire in run mode and its manifest, the Kubernetes publisher) read.
    private static List<(string Name, object Value)> Environment(IDistributedApplicationBuilder builder, WiredComponent component, MatrixStack stack) =>
        component.Environment.Select(variable => (variable.Name, variable.Value switch
        {
            LiteralValue literal => (object)literal.Text,
            SecretValue secret => stack.Secrets[secret.Secret].Resource,
            EndpointUrlValue endpoint => new EndpointReference(Referenced<IResourceWithEndpoints>(builder, component, variable, endpoint.Component), endpoint.Endpoint),
            ConnectionStringValue connection => new ConnectionStringReference(Referenced<IResourceWithConnectionString>(builder, component, variable, connection.Database), optional: false),
            _ => throw new InvalidOperationException($"{variable.Name}: no form for a {variable.Value.GetType().Name}"),
        })).ToList();

    private static TResource Referenced<TResource>(IDistributedApplicationBuilder builder, WiredComponent component, WiredVariable variable, string name)
        where TResource : IResource =>
        builder.Resources.OfType<TResource>().SingleOrDefault(r => r.Name == name)
        ?? throw new InvalidOperationException($"{variable.Name} of '{component.Name}' refers to '{name}', which is not (yet) in the model");
}
