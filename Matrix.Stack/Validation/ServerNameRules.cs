using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Matrix.Stack.Validation;

/// <summary>
/// The Matrix server-name grammar (spec, appendices "Server Name"): a DNS name, IPv4 literal or bracketed
/// IPv6 literal, optionally followed by <c>:port</c>. Synapse also wants it lower case.
/// </summary>
public static partial class ServerNameRules
{
    [GeneratedRegex("^(?=.{1,255}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex DnsName();

    /// <summary>Null when valid, else why not.</summary>
    public static string? Check(string? serverName)
    {
        if (string.IsNullOrWhiteSpace(serverName))
        {
            return "must not be empty";
        }
        if (serverName != serverName.ToLowerInvariant())
        {
            return $"'{serverName}' must be lower case (it appears in every user ID and can never change)";
        }
        if (serverName.Contains('/') || serverName.Any(char.IsWhiteSpace))
        {
            return $"'{serverName}' is not a valid host name (a server name has no scheme, path or spaces: 'example.org' or 'example.org:8448')";
        }
        string host;
        var rest = "";
        if (serverName.StartsWith('['))
        {
            var close = serverName.IndexOf(']');
            if (close < 0)
            {
                return $"'{serverName}' opens an IPv6 literal with '[' but never closes it";
            }
            host = serverName[..(close + 1)];
            rest = serverName[(close + 1)..];
            if (!IPAddress.TryParse(host.Trim('[', ']'), out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return $"'{host}' is not an IPv6 literal";
            }
        }
        else
        {
            var colon = serverName.LastIndexOf(':');
            host = colon >= 0 ? serverName[..colon] : serverName;
            rest = colon >= 0 ? serverName[colon..] : "";
            if (!DnsName().IsMatch(host))
            {
                return $"'{host}' is not a valid host name (letters, digits, '-' and '.'; no scheme, path or spaces)";
            }
        }
        if (rest.Length > 0
            && (!rest.StartsWith(':') || !int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535))
        {
            return $"'{rest}' after the host is not ':port' with a port from 1 to 65535";
        }
        return null;
    }
}
