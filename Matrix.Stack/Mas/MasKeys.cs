using System.Security.Cryptography;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.Mas;

/// <summary>
/// Fresh MAS key material in the formats MAS reads from files: the encryption key as 64 hex digits (32 bytes), the
/// signing keys as PKCS#8 PEM (RSA 2048 for RS256, EC P-256 for ES256, the two algorithms MAS's own
/// <c>mas-cli config generate</c> creates).
/// </summary>
public static class MasKeys
{
    public const int RsaKeySize = 2048;

    public static string Generate(string secretName) => secretName switch
    {
        SecretName.MasEncryptionKey => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        SecretName.MasSigningKeyRsa => Pem(RSA.Create(RsaKeySize)),
        SecretName.MasSigningKeyEc => Pem(ECDsa.Create(ECCurve.NamedCurves.nistP256)),
        _ => throw new ArgumentException($"'{secretName}' is not a MAS key", nameof(secretName)),
    };

    private static string Pem(AsymmetricAlgorithm key)
    {
        using (key)
        {
            return key.ExportPkcs8PrivateKeyPem() + "\n";
        }
    }
}
