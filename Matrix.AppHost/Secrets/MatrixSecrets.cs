using Matrix.AppHost.Files;
using Matrix.Stack.Model;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Secrets;

/// <summary>
/// Every secret of the stack (<see cref="SecretName.RequiredFor"/>) as a secret Aspire parameter
/// (<c>AddParameter(..., secret: true)</c>). In run mode each is generated once and kept in the AppHost's user
/// secrets, so a restart never changes it; when publishing they become deployment inputs (empty in values.yaml,
/// supplied at deploy time). Never written into a generated config file.
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
            : builder.AddParameter(MatrixSecrets.ParameterName(secretName), secret: true);

    // Letters and digits only: these values end up in connection strings, YAML files and command lines.
    private static IResourceBuilder<ParameterResource> AddGeneratedSecret(this IDistributedApplicationBuilder builder, string secretName) =>
        builder.AddParameter(MatrixSecrets.ParameterName(secretName), new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true, persist: true);

    // Generated once in run mode (persisted); a published deployment must be given its key, never invent one.
    private static IResourceBuilder<ParameterResource> AddSigningKey(this IDistributedApplicationBuilder builder)
    {
        var name = MatrixSecrets.ParameterName(SecretName.SigningKey);
        var signingKey = builder.ExecutionContext.IsRunMode
            ? builder.AddParameter(name, new SigningKeyParameterDefault(), secret: true, persist: true)
            : builder.AddParameter(name, secret: true);
        return signingKey.WithDescription(
            "Synapse's signing key, one line: `ed25519 a_XXXX <base64 seed>` (`dotnet run --project Matrix.Stack.Cli -- generate-secrets --preset NAME --out FILE` writes one). Never change it once the server federates.",
            enableMarkdown: true);
    }
}
