namespace Matrix.Tests.Stack;

/// <summary>
/// A signing key validation accepts (<c>ed25519 KEY_VERSION BASE64SEED</c>): secret fixtures use it, since any other
/// distinctive value is not a key Synapse could read and is refused.
/// </summary>
public static class TestSigningKey
{
    /// <summary>The seed is the 32 bytes "test-signing-key-seed-9f3c-R8vW3", so the value is distinctive too.</summary>
    public const string Value = "ed25519 a_test dGVzdC1zaWduaW5nLWtleS1zZWVkLTlmM2MtUjh2VzM";
}
