using System.Net;
using System.Net.Sockets;

namespace Matrix.Router.Security;

/// <summary>A set of IP networks (CIDR), used for trusted proxies and the admin allow-list.</summary>
public sealed class IpNetworkList
{
    /// <summary>The word that configures an empty list (configuration cannot express an empty array).</summary>
    public const string NoneKeyword = "none";

    private readonly IPNetwork[] _networks;

    public IpNetworkList(IEnumerable<IPNetwork> networks)
    {
        _networks = [.. networks];
    }

    public static IpNetworkList None { get; } = new([]);

    /// <summary>Loopback only: the admin default.</summary>
    public static IpNetworkList Loopback { get; } = new([IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")]);

    /// <summary>Loopback and the private ranges (RFC 1918, RFC 4193) a cluster's pods and services use.</summary>
    public static IpNetworkList LoopbackAndPrivate { get; } = new([.. Loopback.Networks,
        IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("fc00::/7")]);

    public IReadOnlyList<IPNetwork> Networks => _networks;

    public bool IsEmpty => _networks.Length == 0;

    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }
        address = Canonical(address);
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Parses <c>10.0.0.0/8</c>, <c>fd00::/8</c> or a single address; false with a reason otherwise.</summary>
    public static bool TryParseNetwork(string text, out IPNetwork network, out string? problem)
    {
        text = text.Trim();
        problem = null;
        if (IPNetwork.TryParse(text, out network))
        {
            return true;
        }
        if (IPAddress.TryParse(text, out var single))
        {
            single = Canonical(single);
            network = new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        problem = $"'{text}' is not an IP network such as 10.0.0.0/8 or fd00::/8, an IP address, or '{NoneKeyword}'";
        return false;
    }

    /// <summary>Dual-stack sockets report IPv4 clients as <c>::ffff:a.b.c.d</c>; networks are written in IPv4.</summary>
    public static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public override string ToString() => _networks.Length == 0 ? NoneKeyword : string.Join(", ", _networks);
}
