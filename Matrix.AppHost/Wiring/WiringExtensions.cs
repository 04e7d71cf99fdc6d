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
    /// dashboard. Every referenced resource must be in the model already, so the model reads in dependency order.
    /// </summary>
    public static IResourceBuilder<T> WithWiring<T>(this IResourceBuilder<T> resource, WiredComponent component, MatrixStack stack)
        where T : IResourceWithEnvironment, IResourceWithEndpoints
    {
        if (component.Name != resource.Resource.Name)
        {
            throw new InvalidOperationException($"resource '{resource.Resource.Name}' was given the wiring of component '{component.Name}'");
        }
        foreach (var endpoint in component.Endpoints)
        {
            resource.WithHttpEndpoint(targetPort: endpoint.Port, name: endpoint.Name);
        }
        foreach (var variable in component.Environment)
        {
            switch (variable.Value)
            {
                case LiteralValue literal:
                    resource.WithEnvironment(variable.Name, literal.Text);
                    break;
                case SecretValue secret:
                    resource.WithEnvironment(variable.Name, stack.Secrets[secret.Secret]);
                    break;
                case EndpointUrlValue endpoint:
                    var target = Referenced<IResourceWithEndpoints>(resource.ApplicationBuilder, component, variable, endpoint.Component);
                    resource.WithEnvironment(variable.Name, new EndpointReference(target, endpoint.Endpoint))
                        .WithReferenceRelationship(target);
                    break;
                case ConnectionStringValue connection:
                    var database = Referenced<IResourceWithConnectionString>(resource.ApplicationBuilder, component, variable, connection.Database);
                    resource.WithEnvironment(variable.Name, resource.ApplicationBuilder.CreateResourceBuilder(database))
                        .WithReferenceRelationship(database);
                    break;
                default:
                    throw new InvalidOperationException($"{variable.Name}: no form for a {variable.Value.GetType().Name}");
            }
        }
        return resource;
    }

    private static TResource Referenced<TResource>(IDistributedApplicationBuilder builder, WiredComponent component, WiredVariable variable, string name)
        where TResource : IResource =>
        builder.Resources.OfType<TResource>().SingleOrDefault(r => r.Name == name)
        ?? throw new InvalidOperationException($"{variable.Name} of '{component.Name}' refers to '{name}', which is not (yet) in the model");
}
