using System.Security.Cryptography;
using System.Text;

namespace Matrix.Stack.Mas;

/// <summary>
/// MAS client IDs are ULIDs (26 Crockford base32 characters). Rendering must give the same files for the same inputs, so
/// the IDs are derived from the server name and the client's purpose (a hash read as a ULID), never from the clock.
/// </summary>
public static class MasClientIds
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>The confidential client operators use for MAS's admin API (client_credentials).</summary>
    public static string Admin(string serverName) => Derive(serverName, "admin");

    public static string Derive(string serverName, string purpose)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"matrix-stack mas client {purpose} {serverName}"));
        // 128 bits as 26 base32 digits: the first digit carries 3 bits (0-7), as the ULID specification requires.
        var value = new UInt128(BitConverter.ToUInt64(hash, 0), BitConverter.ToUInt64(hash, 8));
        var chars = new char[26];
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Crockford[(int)(value & 31)];
            value >>= 5;
        }
        return new string(chars);
    }

    public static bool IsUlid(string id) =>
        id.Length == 26 && id[0] <= '7' && id.All(c => Crockford.Contains(c, StringComparison.Ordinal));
}
