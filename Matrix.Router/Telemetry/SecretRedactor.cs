using System.Text.RegularExpressions;

namespace Matrix.Router.Telemetry;

/// <summary>
/// Removes credentials from text bound for logs: the values of the <c>access_token</c>, <c>token</c> and
/// <c>loginToken</c> query parameters, and anything after <c>Bearer</c> or an <c>Authorization</c> header name.
/// </summary>
public static partial class SecretRedactor
{
    public const string Mask = "<redacted>";

    public static string Redact(string text)
    {
        if (!MightHoldSecret(text))
        {
            return text;
        }
        text = QueryTokens().Replace(text, m => m.Groups["name"].Value + "=" + Mask);
        text = BearerTokens().Replace(text, m => m.Groups["scheme"].Value + " " + Mask);
        return AuthorizationHeaders().Replace(text, m => m.Groups["name"].Value + Mask);
    }

    // A cheap test first: almost no log line mentions any of these.
    private static bool MightHoldSecret(string text) =>
        text.Contains("token", StringComparison.OrdinalIgnoreCase)
        || text.Contains("bearer", StringComparison.OrdinalIgnoreCase)
        || text.Contains("authorization", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"(?<name>(?<![A-Za-z0-9_])(?:access_token|token|loginToken))=[^&\s""'#]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QueryTokens();

    [GeneratedRegex(@"(?<scheme>\bBearer)\s+[^\s""',;]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BearerTokens();

    [GeneratedRegex(@"(?<name>\bAuthorization[""']?\s*[:=]\s*[""']?)(?!<redacted>)[^\r\n""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationHeaders();
}
