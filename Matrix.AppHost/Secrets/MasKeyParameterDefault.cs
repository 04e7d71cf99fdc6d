using Aspire.Hosting.Publishing;
using Matrix.Stack.Mas;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Secrets;

/// <summary>
/// Run-mode default of MAS's key parameters (encryption key as 64 hex digits, RSA and EC signing keys as PEM): Matrix.Stack's
/// <see cref="MasKeys"/>, as <c>generate-secrets</c> writes them, generated once (the parameter is persisted in user secrets).
/// A random alphanumeric default would be refused by MAS.
/// </summary>
internal sealed class MasKeyParameterDefault(string secretName) : ParameterDefault
{
    public static bool AppliesTo(string secretName) =>
        secretName is SecretName.MasEncryptionKey or SecretName.MasSigningKeyRsa or SecretName.MasSigningKeyEc;

    public override string GetDefaultValue() => MasKeys.Generate(secretName);

    public override void WriteToManifest(ManifestPublishingContext context) =>
        throw new InvalidOperationException($"the {secretName} default exists in run mode only; a published deployment must be given its MAS keys");
}
