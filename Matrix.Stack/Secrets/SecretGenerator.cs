using System.Security.Cryptography;
using Matrix.Stack.Model;

namespace Matrix.Stack.Secrets;

/// <summary>
/// Fresh random values for every secret a deployment needs: what <c>generate-secrets</c> writes when an operator
/// asks for it. Rendering never calls this: secrets are inputs, never invented silently.
/// </summary>
public static class SecretGenerator
{
    private const string KeyIdAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static StackSecrets Generate(StackOptions options) =>
        new(SecretName.RequiredFor(options).ToDictionary(name => name, Value, StringComparer.Ordinal));

    public static string Value(string name) => name switch
    {
        SecretName.SigningKey => SigningKey(),
        // LiveKit API keys are short identifiers; everything else is 256 bits of randomness.
        SecretName.LiveKitApiKey => "API" + RandomNumberGenerator.GetString(KeyIdAlphabet, 12),
        SecretName.S3AccessKeyId => RandomNumberGenerator.GetString(KeyIdAlphabet, 20),
        SecretName.MasEncryptionKey or SecretName.MasSigningKeyRsa or SecretName.MasSigningKeyEc => Mas.MasKeys.Generate(name),
        _ => Base64Url(RandomNumberGenerator.GetBytes(32)),
    };

    /// <summary>A signing key in Synapse's file format: algorithm, key version, unpadded base64 of the 32-byte ed25519 seed.</summary>
    public static string SigningKey() =>
        $"ed25519 a_{RandomNumberGenerator.GetString(KeyIdAlphabet, 4)} {Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=')}";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
