using Matrix.Stack.Model;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Secrets;

/// <summary>
/// Every secret of the stack as a secret Aspire parameter (<c>AddParameter(..., secret: true)</c>). In run mode each is
/// generated once and kept in the AppHost's user secrets, so a restart never changes it; when publishing they become
/// deployment inputs (empty in values.yaml, supplied at deploy time). Never written into a generated config file.
/// </summary>
public sealed class MatrixSecrets
{
    private readonly Dictionary<string, IResourceBuilder<ParameterResource>> _byName;

    internal MatrixSecrets(
        Dictionary<string, IResourceBuilder<ParameterResource>> byName,
        IResourceBuilder<ParameterResource> signingKey,
        IResourceBuilder<ParameterResource> redisPassword,
        IResourceBuilder<ParameterResource> liveKitRedisPassword)
    {
        _byName = byName;
        SigningKey = signingKey;
        RedisPassword = redisPassword;
        LiveKitRedisPassword = liveKitRedisPassword;
    }

    /// <summary>A Matrix.Stack secret (<see cref="SecretName"/>) the deployment needs.</summary>
    public IResourceBuilder<ParameterResource> this[string secretName] =>
        _byName.TryGetValue(secretName, out var parameter)
            ? parameter
            : throw new InvalidOperationException($"secret '{secretName}' is not needed by this deployment (see SecretName.RequiredFor)");

    /// <summary>The Matrix.Stack secrets of this deployment, by <see cref="SecretName"/>.</summary>
    public IReadOnlyDictionary<string, IResourceBuilder<ParameterResource>> ByName => _byName;

    /// <summary>Synapse's ed25519 signing key line (<c>ed25519 a_XXXX base64</c>): shared by every process, never regenerated.</summary>
    public IResourceBuilder<ParameterResource> SigningKey { get; }

    public IResourceBuilder<ParameterResource> RedisPassword { get; }

    public IResourceBuilder<ParameterResource> LiveKitRedisPassword { get; }

    /// <summary>Aspire resource names allow letters, digits and hyphens: <c>macaroon_secret_key</c> becomes <c>macaroon-secret-key</c>.</summary>
    public static string ParameterName(string secretName) => secretName.Replace('_', '-');

    /// <summary>The variable a process reads a secret from: <c>MATRIX_SECRET_MACAROON_SECRET_KEY</c> (Matrix.Stack's convention).</summary>
    public static string EnvironmentVariable(string secretName) => StackSecrets.EnvironmentVariable(secretName);
}

public static class MatrixSecretsExtensions
{
    /// <summary>Adds one secret parameter per secret the deployment needs, plus the signing key and the two Redis passwords.</summary>
    public static MatrixSecrets AddMatrixSecrets(this IDistributedApplicationBuilder builder, MatrixDeployment deployment)
    {
        var byName = SecretName.RequiredFor(deployment.Options)
            .ToDictionary(name => name, name => builder.AddGeneratedSecret(MatrixSecrets.ParameterName(name)), StringComparer.Ordinal);

        var signingKey = builder.ExecutionContext.IsRunMode
            ? builder.AddParameter("synapse-signing-key", new SigningKeyParameterDefault(), secret: true, persist: true)
            : builder.AddParameter("synapse-signing-key", secret: true);
        signingKey.WithDescription("Synapse's signing key, one line: `ed25519 a_XXXX <base64 seed>` (generate it with `python -m synapse._scripts.generate_signing_key`). Never change it once the server federates.", enableMarkdown: true);

        return new MatrixSecrets(
            byName,
            signingKey,
            builder.AddGeneratedSecret("redis-password"),
            builder.AddGeneratedSecret("livekit-redis-password"));
    }

    // Letters and digits only: these values end up in connection strings, YAML files and command lines.
    private static IResourceBuilder<ParameterResource> AddGeneratedSecret(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true, persist: true);
}
