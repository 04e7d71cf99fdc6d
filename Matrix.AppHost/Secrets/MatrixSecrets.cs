using Matrix.AppHost.Files;
using Matrix.Stack.Model;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Secrets;

/// <summary>
/// Every secret of the stack (<see cref="SecretName.RequiredFor"/>) as a secret Aspire parameter
/// (<c>AddParameter(..., secret: true)</c>). In run mode each is generated once and kept in the AppHost's user
/// secrets, so a restart never changes it; when publishing they become deployment inputs whose value the publish never
/// reads, asks for, generates or stores (supplied at deploy time). Never written into a generated config file.
/// </summary>
public sealed class MatrixSecrets
{
    private readonly Dictionary<string, IResourceBuilder<ParameterResource>> _byName;

    internal MatrixSecrets(Dictionary<string, IResourceBuilder<ParameterResource>> byName) => _byName = byName;

    /// <summary>A Matrix.Stack secret (<see cref="SecretName"/>) the deployment needs.</summary>
    public IResourceBuilder<ParameterResource> this[string secretName] =>
        _byName.TryGetValue(secretName, out var parameter)
            ? parameter
            : throw new InvalidOperationException($"secret '{secretName}' is not needed by this deployment (see SecretName.RequiredFor)");

    /// <summary>A secret delivered as a file of its own name holding only its value (how Matrix.Stack's files expect it).</summary>
    public SecretFile File(string secretName) => new(secretName, StackSecrets.EnvironmentVariable(secretName), this[secretName]);

    /// <summary>Aspire resource names allow letters, digits and hyphens: <c>macaroon_secret_key</c> becomes <c>macaroon-secret-key</c>.</summary>
    public static string ParameterName(string secretName) => secretName.Replace('_', '-');
}

public static class MatrixSecretsExtensions
{
    /// <summary>Adds one secret parameter per secret the deployment needs (the signing key and both Redis passwords included).</summary>
    public static MatrixSecrets AddMatrixSecrets(this IDistributedApplicationBuilder builder, MatrixDeployment deployment) =>
        new(SecretName.RequiredFor(deployment.Options).ToDictionary(name => name, builder.AddSecret, StringComparer.Ordinal));

    // A published deployment is given its secrets by the operator (the output only refers to them), so publishing
    // reads none. Aspire's parameter processing in publish mode asks for every parameter without a value (which fails
    // or hangs with standard input closed; an empty value counts as missing), generates the ones with a
    // GenerateParameterDefault, and saves every value to deployment state. So a published secret's value is this
    // placeholder whatever the configuration says: nothing is asked for or generated, and what is stored is no
    // secret. The manifest still shows the parameter's reference and the default a deployer may generate.
    public const string PublishedPlaceholder = "given-by-the-operator-at-deploy-time";

    // Generated once in run mode (persisted). A key in its own format (Synapse's signing key, MAS's keys) is given to a
    // published deployment, never invented; the others are letters and digits only (they end up in connection strings,
    // YAML files and command lines), a default a deployer may generate.
    private static IResourceBuilder<ParameterResource> AddSecret(this IDistributedApplicationBuilder builder, string secretName)
    {
        var name = MatrixSecrets.ParameterName(secretName);
        ParameterDefault generated = KeyParameterDefault.AppliesTo(secretName)
            ? new KeyParameterDefault(secretName)
            : new GenerateParameterDefault { MinLength = 40, Special = false };
        var parameter = builder.ExecutionContext.IsRunMode
            ? builder.AddParameter(name, generated, secret: true, persist: true)
            : builder.AddResource(new ParameterResource(name, _ => PublishedPlaceholder, secret: true) { Default = generated as GenerateParameterDefault });
        return secretName != SecretName.SigningKey ? parameter : parameter.WithDescription(
            "Synapse's signing key, one line: `ed25519 a_XXXX <base64 seed>` (`dotnet run --project Matrix.Stack.Cli -- generate-secrets --preset NAME --out FILE` writes one). Never change it once the server federates.",
            enableMarkdown: true);
    }
}
