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

    /// <summary>The Matrix.Stack secrets of this deployment, by <see cref="SecretName"/>.</summary>
    public IReadOnlyDictionary<string, IResourceBuilder<ParameterResource>> ByName => _byName;

    /// <summary>A secret delivered as a file of its own name holding only its value (how Matrix.Stack's files expect it).</summary>
    public SecretFile File(string secretName) => new(secretName, EnvironmentVariable(secretName), this[secretName]);

    /// <summary>Aspire resource names allow letters, digits and hyphens: <c>macaroon_secret_key</c> becomes <c>macaroon-secret-key</c>.</summary>
    public static string ParameterName(string secretName) => secretName.Replace('_', '-');

    /// <summary>The variable a process reads a secret from: <c>MATRIX_SECRET_MACAROON_SECRET_KEY</c> (Matrix.Stack's convention).</summary>
    public static string EnvironmentVariable(string secretName) => StackSecrets.EnvironmentVariable(secretName);
}

public static class MatrixSecretsExtensions
{
    /// <summary>Adds one secret parameter per secret the deployment needs (the signing key and both Redis passwords included).</summary>
    public static MatrixSecrets AddMatrixSecrets(this IDistributedApplicationBuilder builder, MatrixDeployment deployment) =>
        new(SecretName.RequiredFor(deployment.Options)
            .ToDictionary(name => name, name => name == SecretName.SigningKey ? builder.AddSigningKey()
                : MasKeyParameterDefault.AppliesTo(name) ? builder.AddMasKey(name)
                : builder.AddGeneratedSecret(name), StringComparer.Ordinal));

    // As the signing key: generated in MAS's formats once in run mode, given to a published deployment.
    private static IResourceBuilder<ParameterResource> AddMasKey(this IDistributedApplicationBuilder builder, string secretName) =>
        builder.ExecutionContext.IsRunMode
            ? builder.AddParameter(MatrixSecrets.ParameterName(secretName), new MasKeyParameterDefault(secretName), secret: true, persist: true)
            : builder.AddDeploymentInput(MatrixSecrets.ParameterName(secretName), manifestDefault: null);

    // Letters and digits only: these values end up in connection strings, YAML files and command lines.
    private static IResourceBuilder<ParameterResource> AddGeneratedSecret(this IDistributedApplicationBuilder builder, string secretName)
    {
        var generate = new GenerateParameterDefault { MinLength = 40, Special = false };
        return builder.ExecutionContext.IsRunMode
            ? builder.AddParameter(MatrixSecrets.ParameterName(secretName), generate, secret: true, persist: true)
            : builder.AddDeploymentInput(MatrixSecrets.ParameterName(secretName), generate);
    }

    // A published deployment is given its secrets by the operator (the output only refers to them), so publishing
    // reads none. Aspire's parameter processing in publish mode asks for every parameter without a value (which fails
    // or hangs with standard input closed; an empty value counts as missing), generates the ones with a
    // GenerateParameterDefault, and saves every value to deployment state. So a published secret's value is this
    // placeholder whatever the configuration says: nothing is asked for or generated, and what is stored is no
    // secret. The manifest still shows the parameter's reference and the default a deployer may generate.
    public const string PublishedPlaceholder = "given-by-the-operator-at-deploy-time";

    private static IResourceBuilder<ParameterResource> AddDeploymentInput(this IDistributedApplicationBuilder builder, string name, ParameterDefault? manifestDefault) =>
        builder.AddResource(new ParameterResource(name, _ => PublishedPlaceholder, secret: true) { Default = manifestDefault });

    // Generated once in run mode (persisted); a published deployment must be given its key, never invent one.
    private static IResourceBuilder<ParameterResource> AddSigningKey(this IDistributedApplicationBuilder builder)
    {
        var name = MatrixSecrets.ParameterName(SecretName.SigningKey);
        var signingKey = builder.ExecutionContext.IsRunMode
            ? builder.AddParameter(name, new SigningKeyParameterDefault(), secret: true, persist: true)
            : builder.AddDeploymentInput(name, manifestDefault: null);
        return signingKey.WithDescription(
            "Synapse's signing key, one line: `ed25519 a_XXXX <base64 seed>` (`dotnet run --project Matrix.Stack.Cli -- generate-secrets --preset NAME --out FILE` writes one). Never change it once the server federates.",
            enableMarkdown: true);
    }
}
