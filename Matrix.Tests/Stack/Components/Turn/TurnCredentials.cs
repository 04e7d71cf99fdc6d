using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Matrix.Tests.Stack.Components.Turn;

/// <summary>
/// A time-limited TURN credential as Synapse hands it out from <c>/voip/turnServer</c> (the TURN REST API scheme that
/// coturn's <c>use-auth-secret</c> checks): the user name is <c>&lt;expiry unix seconds&gt;:&lt;user id&gt;</c> and the
/// password is the padded base64 of HMAC-SHA1(shared secret, user name). Only the tests need it (to authenticate to
/// the real coturn as a Synapse client would): the stack itself never derives a credential.
/// </summary>
public sealed class TurnCredentials
{
    private TurnCredentials(string username, string password, DateTimeOffset expires)
    {
        Username = username;
        Password = password;
        Expires = expires;
    }

    public string Username { get; }

    public string Password { get; }

    public DateTimeOffset Expires { get; }

    /// <summary>Derives the credential Synapse would give <paramref name="userId"/> at <paramref name="now"/>.</summary>
    public static TurnCredentials Create(string sharedSecret, string userId, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrEmpty(sharedSecret);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        // Synapse: expiry = (now_ms + lifetime_ms) / 1000, printed with %d (the fraction dropped).
        var expirySeconds = (now.ToUnixTimeMilliseconds() + (long)lifetime.TotalMilliseconds) / 1000;
        var username = expirySeconds.ToString(CultureInfo.InvariantCulture) + ":" + userId;
        return new TurnCredentials(username, PasswordFor(sharedSecret, username), DateTimeOffset.FromUnixTimeSeconds(expirySeconds));
    }

    /// <summary>The password coturn expects for <paramref name="username"/> under <paramref name="sharedSecret"/>.</summary>
    public static string PasswordFor(string sharedSecret, string username) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(sharedSecret), Encoding.UTF8.GetBytes(username)));

    // The password is as good as a secret until it expires.
    public override string ToString() => $"TurnCredentials({Username}, expires {Expires:O}, password hidden)";
}
