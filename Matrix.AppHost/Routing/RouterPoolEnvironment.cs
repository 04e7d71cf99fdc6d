using k8s.Models;
using Matrix.AppHost.Configuration;
using Matrix.AppHost.Kubernetes;
using Matrix.Stack.Wiring;

namespace Matrix.AppHost.Routing;

/// <summary>
/// The router's environment in Kubernetes is the wiring model's for the pool-hosted deployment
/// (<see cref="PoolHostedStack"/>), where Synapse's workers live in StatefulSets: one destination per scalable pool (its
/// headless Service, which the router expands into one instance per ready pod, looking again every few seconds), the
/// pods' stable names for the others. The run-mode entries of the same variables, which name one Service per process,
/// are left out; every other variable is the model's.
/// </summary>
public static class RouterPoolEnvironment
{
    public static void Apply(KubernetesResourceObjects objects, MatrixStack stack)
    {
        var hosted = stack.PoolHosted.Wiring;
        var container = objects.PodTemplate.Spec.Containers.Single();
        var stated = stack.Wiring.Router.Environment.Concat(hosted.Router.Environment).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var kept = (container.Env ?? []).Where(v => !stated.Contains(v.Name)).ToList();
        foreach (var variable in hosted.Router.Environment)
        {
            kept.Add(new V1EnvVar
            {
                Name = variable.Name,
                Value = variable.Value switch
                {
                    LiteralValue literal => KubernetesValueTranslator.Literal(literal.Text),
                    EndpointUrlValue endpoint => hosted.UrlOf(endpoint),
                    _ => throw new InvalidOperationException($"{variable.Name}: the router is given no {variable.Value.GetType().Name}"),
                },
            });
        }
        container.Env = kept;
    }
}
