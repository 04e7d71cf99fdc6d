using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Matrix.ServiceDefaults.Configuration;

namespace Matrix.Router.Configuration;

/// <summary>Re-resolution of destination host names (<c>Router:Dns</c>).</summary>
public sealed class DnsOptions
{
    /// <summary>The port of <see cref="NameServer"/> when it names none, as in resolv.conf.</summary>
    public const int DefaultNameServerPort = 53;

    /// <summary>How a valid <see cref="NameServer"/> looks, for error messages and help texts.</summary>
    public const string NameServerFormat = "an IP address with an optional port, such as 10.96.0.10, 10.96.0.10:53 or [fd00::10]:53";

    /// <summary>
    /// How often host names among the destinations are resolved again (one instance per address); zero: never.
    /// Short, because a pod that joins gets no requests and a pod that left keeps getting them until the next one.
    /// </summary>
    public Duration RefreshInterval { get; set; } = Duration.FromSeconds(5);

    /// <summary>
    /// The name server asked for destination host names (<c>host:port</c>, <see cref="NameServerFormat"/>), without a
    /// cache; unset: the system resolver (in Kubernetes, cluster DNS through the pod's resolv.conf).
    /// </summary>
    public string? NameServer { get; set; }

    /// <summary><see cref="NameServer"/> as an endpoint; null when unset (an unusable value stops the router at start).</summary>
    internal IPEndPoint? NameServerEndpoint => TryParseNameServer(NameServer, out var endpoint) ? endpoint : null;

    /// <summary>
    /// Reads a name server address. Only IP addresses: the name server is what resolves names, so it cannot be one
    /// (as in resolv.conf). IPv4 is written with four parts, so that <c>53</c> is not read as <c>0.0.0.53</c>.
    /// </summary>
    internal static bool TryParseNameServer(string? text, [NotNullWhen(true)] out IPEndPoint? endpoint)
    {
        endpoint = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        text = text.Trim();
        var bare = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
        if (!bare.StartsWith('[') && IPAddress.TryParse(bare, out var address) && IsWrittenInFull(address, bare))
        {
            endpoint = new IPEndPoint(address, DefaultNameServerPort);
            return true;
        }
        if (IPEndPoint.TryParse(text, out var parsed) && parsed.Port > 0
            && IsWrittenInFull(parsed.Address, text[..text.LastIndexOf(':')].Trim('[', ']')))
        {
            endpoint = parsed;
            return true;
        }
        return false;
    }

    private static bool IsWrittenInFull(IPAddress address, string written) =>
        address.AddressFamily != AddressFamily.InterNetwork || written.Count(c => c == '.') == 3;
}
