using System.Security.Cryptography;
using Aspire.Hosting.Publishing;

namespace Matrix.AppHost.Secrets;

/// <summary>
/// Run-mode default of the signing key parameter: a new ed25519 key in Synapse's key file format, generated once
/// (the parameter is persisted in user secrets). Any 32 random bytes are a valid ed25519 seed; Synapse writes the
/// seed as unpadded standard base64 after the algorithm and the key version.
/// </summary>
internal sealed class SigningKeyParameterDefault : ParameterDefault
{
    private const string VersionAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public override string GetDefaultValue()
    {
        var version = "a_" + RandomNumberGenerator.GetString(VersionAlphabet, 4);
        var seed = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=');
        return $"ed25519 {version} {seed}";
    }

    // Only used in run mode (see MatrixSecretsExtensions): a published deployment is given its key, never invents one.
    public override void WriteToManifest(ManifestPublishingContext context) =>
        throw new InvalidOperationException("the signing key default exists in run mode only; a published deployment must be given its signing key");
}
