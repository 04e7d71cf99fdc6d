using Matrix.AppHost.Configuration;
using Matrix.Stack.Wiring;

namespace Matrix.AppHost.Wiring;

public static class WiringExtensions
{
    /// <summary>
    /// Gives a resource the environment Matrix.Stack's wiring model states for its component: literals as they are,
    /// secrets as the stack's secret parameters, and endpoint URLs as references to the named resource's endpoint (a
    /// host port in run mode, the Service in Kubernetes), each also a relationship on the dashboard. Every referenced
    /// resource must be in the model already, so the model reads in dependency order.
    /// </summary>
    public static IResourceBuilder<T> WithWiring<T>(this IResourceBuilder<T> resource, WiredComponent component, MatrixStack stack)
        where T : IResourceWithEnvironment
    {
        if (component.Name != resource.Resource.Name)
        {
            throw new InvalidOperationException($"resource '{resource.Resource.Name}' was given the wiring of component '{component.Name}'");
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
                    var target = resource.ApplicationBuilder.Resources.OfType<IResourceWithEndpoints>().SingleOrDefault(r => r.Name == endpoint.Component)
                        ?? throw new InvalidOperationException($"{variable.Name} of '{component.Name}' refers to '{endpoint.Component}', which is not (yet) in the model");
                    resource.WithEnvironment(variable.Name, new EndpointReference(target, endpoint.Endpoint))
                        .WithReferenceRelationship(target);
                    break;
                default:
                    throw new InvalidOperationException($"{variable.Name}: no form for a {variable.Value.GetType().Name}");
            }
        }
        return resource;
    }

    /// <summary>The component's endpoints, by the wiring model's names and container ports (plain HTTP inside the deployment).</summary>
    public static IResourceBuilder<T> WithWiredEndpoints<T>(this IResourceBuilder<T> resource, WiredComponent component)
        where T : IResourceWithEndpoints
    {
        foreach (var endpoint in component.Endpoints)
        {
            resource.WithHttpEndpoint(targetPort: endpoint.Port, name: endpoint.Name);
        }
        return resource;
    }
}
