using Matrix.Tests.Stack.Components.Turn;

namespace Matrix.Tests.Stack.Components;

/// <summary>The credential derivation, checked against Synapse's arithmetic and RFC 2202's HMAC-SHA1 test vector.</summary>
public class TurnCredentialsTests
{
    [Fact]
    public void UsernameIsTheExpiryInWholeSecondsThenTheUserId()
    {
        // Synapse: "%d" % ((time_msec + lifetime_ms) / 1000); the fraction of a second is dropped.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_999);

        var credentials = TurnCredentials.Create("secret", "@alice:example.org", now, TimeSpan.FromHours(1));

        Assert.Equal("1700003600:@alice:example.org", credentials.Username);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_003_600), credentials.Expires);
        Assert.Equal(TurnCredentials.PasswordFor("secret", credentials.Username), credentials.Password);
    }

    [Fact]
    public void PasswordIsPaddedBase64OfHmacSha1()
    {
        // RFC 2202 test case 2: HMAC-SHA1("Jefe", "what do ya want for nothing?") = effcdf6ae5eb2fa2d27416d5f184df9c259a7c79.
        var expected = Convert.ToBase64String(Convert.FromHexString("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"));

        Assert.Equal(expected, TurnCredentials.PasswordFor("Jefe", "what do ya want for nothing?"));
        Assert.EndsWith("=", expected);
    }

    [Fact]
    public void DifferentSecretsOrUsersGiveDifferentPasswords()
    {
        var now = DateTimeOffset.UtcNow;
        var alice = TurnCredentials.Create("secret", "@alice:example.org", now, TimeSpan.FromHours(1));

        Assert.NotEqual(alice.Password, TurnCredentials.Create("other", "@alice:example.org", now, TimeSpan.FromHours(1)).Password);
        Assert.NotEqual(alice.Password, TurnCredentials.Create("secret", "@bob:example.org", now, TimeSpan.FromHours(1)).Password);
    }

    [Fact]
    public void ToStringNeverShowsThePassword()
    {
        var credentials = TurnCredentials.Create("secret", "@alice:example.org", DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

        Assert.DoesNotContain(credentials.Password, credentials.ToString());
        Assert.Contains(credentials.Username, credentials.ToString());
    }
}
