using System.Globalization;
using System.Text;
using k8s.Models;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// Turns the values the model gives an environment variable or an argument (strings, parameters, endpoint references,
/// connection strings, reference expressions) into what a pod spec can hold, without knowing any secret value:
/// a variable that is exactly a secret parameter becomes a <c>secretKeyRef</c>; a secret inside a longer value (a
/// connection string) becomes a <c>$(MATRIX_SECRET_...)</c> reference the kubelet expands from a <c>secretKeyRef</c>
/// variable declared first. Literal text has every <c>$</c> doubled, so the kubelet's expansion leaves it unchanged.
/// One instance per container.
/// </summary>
public sealed class KubernetesValueTranslator(IResource owner, CancellationToken cancellationToken)
{
    private readonly SortedDictionary<string, V1EnvVar> _secretVariables = new(StringComparer.Ordinal);

    /// <summary>The <c>secretKeyRef</c> variables the expanded values refer to; they go before every other variable.</summary>
    public IReadOnlyCollection<V1EnvVar> SecretVariables => _secretVariables.Values;

    public async Task<V1EnvVar> EnvironmentVariableAsync(string name, object? value) =>
        value is ParameterResource { Secret: true } parameter
            ? SecretReference(name, parameter)
            : new V1EnvVar { Name = name, Value = await TextAsync(value, $"environment variable {name}", secretsAllowed: true) };

    /// <summary>A command-line argument: never a secret (a command line is visible to every process on the node).</summary>
    public Task<string> ArgumentAsync(object? value) => TextAsync(value, "command-line argument", secretsAllowed: false);

    /// <summary>Doubles every '$': the kubelet expands <c>$(NAME)</c> in env values, commands and arguments, and reads <c>$$</c> as '$'.</summary>
    public static string Literal(string text) => text.Replace("$", "$$", StringComparison.Ordinal);

    private async Task<string> TextAsync(object? value, string where, bool secretsAllowed)
    {
        switch (value)
        {
            case null:
                return "";
            case string text:
                return Literal(text);
            case ParameterResource { Secret: true } parameter:
                if (!secretsAllowed)
                {
                    throw new InvalidOperationException($"{owner.Name}: the secret parameter '{parameter.Name}' is used in a {where}; secrets never go on a command line");
                }
                var (_, key) = KubernetesSecrets.For(parameter);
                var variable = StackSecrets.EnvironmentVariable(key);
                _secretVariables.TryAdd(variable, SecretReference(variable, parameter));
                return $"$({variable})";
            case ParameterResource parameter:
                return Literal(await ParameterValueAsync(parameter));
            case EndpointReference endpoint:
                return Url(endpoint);
            case EndpointReferenceExpression expression:
                return Literal(EndpointProperty(expression));
            case ConnectionStringReference reference:
                return await TextAsync(reference.ConnectionStringExpression, where, secretsAllowed);
            case IResourceWithConnectionString resource:
                return await TextAsync(resource.ConnectionStringExpression, where, secretsAllowed);
            case ReferenceExpression { IsConditional: true } conditional:
                var condition = await TextAsync(conditional.Condition, where, secretsAllowed);
                return await TextAsync(
                    string.Equals(condition, Literal(conditional.MatchValue ?? ""), StringComparison.OrdinalIgnoreCase) ? conditional.WhenTrue : conditional.WhenFalse,
                    where, secretsAllowed);
            case ReferenceExpression expression:
                var parts = new object[expression.ValueProviders.Count];
                for (var i = 0; i < parts.Length; i++)
                {
                    var part = await TextAsync(expression.ValueProviders[i], where, secretsAllowed);
                    // "uri": percent-encode. A secret is expanded by the kubelet as it is, so it must be URI-safe (generate-secrets' values are).
                    parts[i] = expression.StringFormats[i] == "uri" && expression.ValueProviders[i] is not ParameterResource { Secret: true }
                        ? Uri.EscapeDataString(part)
                        : part;
                }
                return string.Format(CultureInfo.InvariantCulture, Literal(expression.Format), parts);
            default:
                throw new InvalidOperationException($"{owner.Name}: a {where} holds a {value.GetType().Name}, which the Kubernetes output cannot express");
        }
    }

    private static V1EnvVar SecretReference(string name, ParameterResource parameter)
    {
        var (secret, key) = KubernetesSecrets.For(parameter);
        return new V1EnvVar { Name = name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key } } };
    }

    // A non-secret parameter (the database user) is published with its value: it is configuration, not a secret.
    private async Task<string> ParameterValueAsync(ParameterResource parameter)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            return await parameter.GetValueAsync(timeout.Token) ?? "";
        }
        catch (Exception exception) when (exception is OperationCanceledException or MissingParameterValueException && !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"{owner.Name}: parameter '{parameter.Name}' has no value; set Parameters:{parameter.Name}", exception);
        }
    }

    private static string Url(EndpointReference endpoint) =>
        $"{endpoint.EndpointAnnotation.UriScheme}://{KubernetesHostAnnotation.Of(endpoint.Resource)}:{KubernetesPorts.Of(endpoint.EndpointAnnotation, endpoint.Resource)}";

    private static string EndpointProperty(EndpointReferenceExpression expression)
    {
        var endpoint = expression.Endpoint;
        var port = KubernetesPorts.Of(endpoint.EndpointAnnotation, endpoint.Resource).ToString(CultureInfo.InvariantCulture);
        var host = KubernetesHostAnnotation.Of(endpoint.Resource);
        return expression.Property switch
        {
            Aspire.Hosting.ApplicationModel.EndpointProperty.Url => Url(endpoint),
            Aspire.Hosting.ApplicationModel.EndpointProperty.Host or Aspire.Hosting.ApplicationModel.EndpointProperty.IPV4Host => host,
            Aspire.Hosting.ApplicationModel.EndpointProperty.Port or Aspire.Hosting.ApplicationModel.EndpointProperty.TargetPort => port,
            Aspire.Hosting.ApplicationModel.EndpointProperty.HostAndPort => $"{host}:{port}",
            Aspire.Hosting.ApplicationModel.EndpointProperty.Scheme => endpoint.EndpointAnnotation.UriScheme,
            Aspire.Hosting.ApplicationModel.EndpointProperty.TlsEnabled => endpoint.EndpointAnnotation.TlsEnabled ? bool.TrueString : bool.FalseString,
            _ => throw new InvalidOperationException($"endpoint property {expression.Property} of {endpoint.Resource.Name} has no Kubernetes value"),
        };
    }
}
