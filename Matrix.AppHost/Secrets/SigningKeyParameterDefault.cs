using Aspire.Hosting.Publishing;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Secrets;

/// <summary>
/// Run-mode default of the signing key parameter: a new ed25519 key in Synapse's key file format (Matrix.Stack's
/// <see cref="SecretGenerator.SigningKey"/>, as <c>generate-secrets</c> writes it), generated once: the parameter is
/// persisted in user secrets.
/// </summary>
internal sealed class SigningKeyParameterDefault : ParameterDefault
{
    public override string GetDefaultValue() => SecretGenerator.SigningKey();

    // Only used in run mode (see MatrixSecretsExtensions): a published deployment is given its key, never invents one.
    public override void WriteToManifest(ManifestPublishingContext context) =>
        throw new InvalidOperationException("the signing key default exists in run mode only; a published deployment must be given its signing key");
}
