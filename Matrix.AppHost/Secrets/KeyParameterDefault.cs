using Aspire.Hosting.Publishing;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Secrets;

/// <summary>
/// Run-mode default of a key parameter in a format of its own: Synapse's signing key (a new ed25519 key in Synapse's key
/// file format) and MAS's keys (encryption key as 64 hex digits, RSA and EC signing keys as PEM), as
/// <c>generate-secrets</c> writes them (Matrix.Stack's <see cref="SecretGenerator.Value"/>), generated once: the
/// parameter is persisted in user secrets. A random alphanumeric default would be refused by Synapse and MAS.
/// </summary>
internal sealed class KeyParameterDefault(string secretName) : ParameterDefault
{
    public static bool AppliesTo(string secretName) =>
        secretName is SecretName.SigningKey or SecretName.MasEncryptionKey or SecretName.MasSigningKeyRsa or SecretName.MasSigningKeyEc;

    public override string GetDefaultValue() => SecretGenerator.Value(secretName);

    // Only used in run mode (see MatrixSecretsExtensions): a published deployment is given its keys, never invents one.
    public override void WriteToManifest(ManifestPublishingContext context) =>
        throw new InvalidOperationException($"the {secretName} default exists in run mode only; a published deployment must be given its {secretName}");
}
