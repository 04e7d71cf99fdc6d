using System.Globalization;
using System.Net;

namespace Matrix.Router.Security;

/// <summary>
/// Whether a <c>Host</c> value can be forwarded: a DNS name (labels of 1 to 63 letters, digits, '-' or '_', not starting
/// or ending with '-', 253 characters at most, one trailing dot allowed, <c>xn--</c> labels valid Punycode), an IPv4
/// address or a bracketed IPv6 address, and an optional port from 1 to 65535. Anything else would fail when the
/// forwarded request is built (a 502 that looked like the instance's failure), so it gets a 400 before forwarding.
/// Empty is not a host (an HTTP/1.0 request without a Host header is not checked here at all).
/// </summary>
public static class HostHeader
{
    private const int MaxNameLength = 253;
    private const int MaxLabelLength = 63;
    private static readonly IdnMapping Idn = new();

    public static bool IsValid(ReadOnlySpan<char> host)
    {
        if (host.IsEmpty)
        {
            return false;
        }
        ReadOnlySpan<char> name;
        ReadOnlySpan<char> port;
        if (host[0] == '[')
        {
            var close = host.IndexOf(']');
            if (close < 0 || !IPAddress.TryParse(host[1..close], out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return false;
            }
            port = host[(close + 1)..];
            if (!port.IsEmpty && port[0] != ':')
            {
                return false;
            }
            return port.IsEmpty || IsPort(port[1..]);
        }
        var colon = host.LastIndexOf(':');
        name = colon < 0 ? host : host[..colon];
        port = colon < 0 ? [] : host[(colon + 1)..];
        return (colon < 0 || IsPort(port)) && IsName(name);
    }

    private static bool IsPort(ReadOnlySpan<char> port) =>
        port.Length is > 0 and <= 5
        && int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
        && number is > 0 and <= 65535;

    private static bool IsName(ReadOnlySpan<char> name)
    {
        if (name.Length > 1 && name[^1] == '.')
        {
            name = name[..^1];
        }
        if (name.IsEmpty || name.Length > MaxNameLength)
        {
            return false;
        }
        foreach (var range in name.Split('.'))
        {
            var label = name[range];
            if (label.IsEmpty || label.Length > MaxLabelLength || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }
            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
                {
                    return false;
                }
            }
            if (label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase) && !IsPunycode(label))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsPunycode(ReadOnlySpan<char> label)
    {
        try
        {
            return Idn.GetUnicode(label.ToString()).Length > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
