using System.Net;

namespace Matrix.Stack.Coturn;

/// <summary>
/// Networks a TURN relay must never reach: anything that is not a public unicast address. An open relay to these would
/// let any user with TURN credentials talk to services inside the deployment (databases, metadata endpoints, the
/// Synapse replication port). The list follows the IANA special-purpose registries for IPv4 and IPv6, plus the IPv6
/// ranges that embed an IPv4 address (mapped, NAT64, 6to4, Teredo), which could otherwise smuggle a private IPv4 peer.
/// </summary>
public static class DeniedPeerNetworks
{
    public static IReadOnlyList<IPNetwork> IPv4 { get; } = Parse(
        "0.0.0.0/8",        // "this network"
        "10.0.0.0/8",       // private
        "100.64.0.0/10",    // carrier-grade NAT (shared address space)
        "127.0.0.0/8",      // loopback
        "169.254.0.0/16",   // link-local (cloud metadata services live here)
        "172.16.0.0/12",    // private
        "192.0.0.0/24",     // IETF protocol assignments
        "192.0.2.0/24",     // documentation (TEST-NET-1)
        "192.88.99.0/24",   // deprecated 6to4 relay anycast
        "192.168.0.0/16",   // private
        "198.18.0.0/15",    // benchmarking
        "198.51.100.0/24",  // documentation (TEST-NET-2)
        "203.0.113.0/24",   // documentation (TEST-NET-3)
        "224.0.0.0/4",      // multicast
        "240.0.0.0/4");     // reserved, including the limited broadcast address

    public static IReadOnlyList<IPNetwork> IPv6 { get; } = Parse(
        // Loopback. Not "::/127": coturn reads a range starting at "::" as open below, so it would match every
        // IPv4 peer too; the unspecified address "::" is refused by coturn itself.
        "::1/128",
        "::ffff:0:0/96",    // IPv4-mapped
        "64:ff9b::/96",     // NAT64 well-known prefix
        "64:ff9b:1::/48",   // NAT64 local use
        "100::/64",         // discard-only
        "2001::/23",        // IETF protocol assignments, including Teredo (2001::/32)
        "2001:db8::/32",    // documentation
        "2002::/16",        // 6to4
        "fc00::/7",         // unique local
        "fe80::/10",        // link-local
        "fec0::/10",        // deprecated site-local
        "ff00::/8");        // multicast

    public static IEnumerable<IPNetwork> All => IPv4.Concat(IPv6);

    /// <summary>The first and last address of a network: coturn's <c>denied-peer-ip</c> takes ranges, not prefixes.</summary>
    public static (IPAddress First, IPAddress Last) Range(IPNetwork network)
    {
        var bytes = network.BaseAddress.GetAddressBytes();
        var last = (byte[])bytes.Clone();
        for (var bit = network.PrefixLength; bit < bytes.Length * 8; bit++)
        {
            last[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }
        return (network.BaseAddress, new IPAddress(last));
    }

    /// <summary>The <c>denied-peer-ip</c> value: <c>first-last</c>.</summary>
    public static string CoturnRange(IPNetwork network)
    {
        var (first, last) = Range(network);
        return $"{first}-{last}";
    }

    private static IReadOnlyList<IPNetwork> Parse(params string[] networks) => networks.Select(IPNetwork.Parse).ToList();
}
