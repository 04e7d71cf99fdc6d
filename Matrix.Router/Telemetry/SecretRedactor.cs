using System.Text.RegularExpressions;

namespace Matrix.Router.Telemetry;

/// <summary>
/// Removes credentials from text bound for logs: the values of query parameters that carry secrets
/// (<see cref="SecretParameters"/>), judged by their percent-DECODED name as Synapse decodes it (so
/// <c>access%5Ftoken</c> and <c>access_tok%65n</c> are <c>access_token</c>), with <c>;</c> separating parameters as
/// <c>&amp;</c> does (Twisted splits a query on both, so Synapse takes <c>?x=1;access_token=…</c>), and anything after
/// <c>Bearer</c> or an <c>Authorization</c> header name.
/// </summary>
public static partial class SecretRedactor
{
    public const string Mask = "<redacted>";

    /// <summary>
    /// Parameters whose values are secrets: access, login, refresh and registration tokens, the 3PID
    /// <c>client_secret</c> and <c>sid</c> (together they validate a 3PID), the OIDC/OAuth authorization <c>code</c> and
    /// <c>state</c> (which binds the callback to the login session), and passwords.
    /// </summary>
    public static readonly IReadOnlySet<string> SecretParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "access_token", "token", "loginToken", "login_token", "refresh_token", "client_secret", "sid", "code", "state", "password",
    };

    public static string Redact(string text)
    {
        if (!MightHoldSecret(text))
        {
            return text;
        }
        text = QueryParameters().Replace(text, m => IsSecret(m.Groups["name"].Value) ? m.Groups["name"].Value + "=" + Mask : m.Value);
        text = BearerTokens().Replace(text, m => m.Groups["scheme"].Value + " " + Mask);
        return AuthorizationHeaders().Replace(text, m => m.Groups["name"].Value + Mask);
    }

    // A cheap test first: most log lines have no parameter and mention no credential.
    private static bool MightHoldSecret(string text) =>
        text.Contains('=')
        || text.Contains("bearer", StringComparison.OrdinalIgnoreCase)
        || text.Contains("authorization", StringComparison.OrdinalIgnoreCase);

    private static bool IsSecret(string name)
    {
        if (SecretParameters.Contains(name))
        {
            return true;
        }
        if (!name.Contains('%'))
        {
            return false;
        }
        try
        {
            return SecretParameters.Contains(Uri.UnescapeDataString(name.Replace('+', ' ')));
        }
        catch (UriFormatException)
        {
            return false;
        }
    }

    // name=value where name is a run of query-name characters not preceded by another one; the value ends at '&' or ';'.
    [GeneratedRegex(@"(?<![A-Za-z0-9_%.~+-])(?<name>[A-Za-z0-9_%.~+-]+)=[^&;\s""'#]*", RegexOptions.CultureInvariant)]
    private static partial Regex QueryParameters();

    [GeneratedRegex(@"(?<scheme>\bBearer)\s+[^\s""',;]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BearerTokens();

    [GeneratedRegex(@"(?<name>\bAuthorization[""']?\s*[:=]\s*[""']?)(?!<redacted>)[^\r\n""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationHeaders();
}
