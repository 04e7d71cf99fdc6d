using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;
using Matrix.AppHost.Kubernetes;

namespace Matrix.AppHost.Tests.Wiring;

/// <summary>
/// The environment a process is started with, as each host resolves what the model declares: the orchestrator under
/// the dashboard (endpoints allocated, then references resolved), or the kubelet from a published container (Secret
/// values put in for <c>secretKeyRef</c>, <c>$(NAME)</c> expanded).
/// </summary>
public static partial class ResolvedEnvironment
{
    /// <summary>
    /// What the orchestrator does before starting a process: every endpoint gets an address (those in
    /// <paramref name="listening"/> the port a real server listens on, the others one nothing is asked of), then the
    /// resource's environment is resolved.
    /// </summary>
    public static async Task<Dictionary<string, string>> UnderTheDashboardAsync(
        IDistributedApplicationTestingBuilder builder, string resource, IReadOnlyDictionary<(string Resource, string Endpoint), int>? listening = null)
    {
        var port = 40000;
        foreach (var owner in builder.Resources)
        {
            foreach (var endpoint in owner.Annotations.OfType<EndpointAnnotation>())
            {
                var (address, allocated) = listening?.TryGetValue((owner.Name, endpoint.Name), out var real) == true ? ("127.0.0.1", real) : ("localhost", port++);
                endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, address, allocated,
                    targetPortExpression: (endpoint.TargetPort ?? allocated).ToString(CultureInfo.InvariantCulture));
            }
        }
        var context = new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in await Model.ModelInspection.EnvironmentAsync(builder.Resources.Single(r => r.Name == resource), context))
        {
            environment[name] = value switch
            {
                string text => text,
                IValueProvider provider => await provider.GetValueAsync(TestContext.Current.CancellationToken) ?? "",
                _ => throw new Xunit.Sdk.XunitException($"{name}: a {value.GetType().Name} the test cannot resolve"),
            };
        }
        return environment;
    }

    /// <summary>
    /// What the kubelet gives a published container: each <c>secretKeyRef</c> the value the operator put in the stack's
    /// Secret under that key, then every <c>$(NAME)</c> of a variable declared before expanded and <c>$$</c> read as '$'.
    /// </summary>
    public static Dictionary<string, string> InThePod(V1Container container, IReadOnlyDictionary<string, string>? secrets = null)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom?.SecretKeyRef is { } reference)
            {
                Assert.Equal(KubernetesSecrets.StackSecret, reference.Name);
                Assert.True(secrets?.ContainsKey(reference.Key) == true, $"{variable.Name}: the test gives no value for secret key {reference.Key}");
                environment[variable.Name] = secrets![reference.Key];
                continue;
            }
            environment[variable.Name] = Expansion().Replace(variable.Value ?? "", match =>
                match.Value == "$$" ? "$" : environment.GetValueOrDefault(match.Groups[1].Value, match.Value));
        }
        return environment;
    }

    [GeneratedRegex(@"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Expansion();
}
