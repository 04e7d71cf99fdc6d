using System.Text.RegularExpressions;

namespace Matrix.Stack.Validation;

/// <summary>
/// Synapse's signing key file: <c>ed25519 KEY_VERSION BASE64SEED</c>, the seed 32 bytes in unpadded base64.
/// Synapse fails at start on anything else, and a key replaced later breaks federation, so it is checked up front.
/// </summary>
public static partial class SigningKeyFormat
{
    [GeneratedRegex("^ed25519 [A-Za-z0-9_]+ [A-Za-z0-9+/]{43}=?$")]
    private static partial Regex Line();

    /// <summary>Null when <paramref name="value"/> is a signing key Synapse reads; otherwise why not (never the value itself).</summary>
    public static string? Problem(string value) =>
        Line().IsMatch(value.Trim())
            ? null
            : "is not a Synapse signing key: expected one line 'ed25519 <key version> <32-byte seed in unpadded base64>' (generate-secrets writes one)";
}
