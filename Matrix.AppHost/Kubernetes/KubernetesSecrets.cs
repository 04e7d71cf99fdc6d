using Matrix.AppHost.Secrets;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// Where a secret parameter's value lives in the cluster. Values are never known when publishing (they are Aspire
/// parameters), so the output only refers to two Secrets the operator creates once: <see cref="SigningKeySecret"/>,
/// holding the signing key alone so that rotating the others can never touch it, and <see cref="StackSecret"/>, one key
/// per Matrix.Stack secret name (<c>postgres_password</c>), exactly the names <c>generate-secrets</c> writes.
/// </summary>
public static class KubernetesSecrets
{
    public const string StackSecret = "matrix-secrets";
    public const string SigningKeySecret = "synapse-signing-key";

    /// <summary>The Secret and key of a secret parameter; throws naming the parameter when it is not a Matrix.Stack secret.</summary>
    public static (string Secret, string Key) For(ParameterResource parameter)
    {
        var secretName = SecretName.All.SingleOrDefault(name => MatrixSecrets.ParameterName(name) == parameter.Name)
            ?? throw new InvalidOperationException(
                $"secret parameter '{parameter.Name}' is not a Matrix.Stack secret ({string.Join(", ", SecretName.All)}), so no Kubernetes Secret holds it");
        return (secretName == SecretName.SigningKey ? SigningKeySecret : StackSecret, secretName);
    }
}
