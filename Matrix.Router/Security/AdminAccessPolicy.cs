using Matrix.Router.Configuration;

namespace Matrix.Router.Security;

/// <summary>
/// The paths only some networks may reach. Synapse's admin API (<c>/_synapse/admin/*</c>) and the router's own status
/// page answer only clients in <see cref="RouterOptions.AdminAllowList"/>; Synapse's internal API for MAS
/// (<c>/_synapse/mas/*</c>) only clients in <see cref="RouterOptions.MasApiAllowList"/>. Checked on the normalised
/// path, case-insensitively, so no spelling of the path slips past it (an encoded slash right after the prefix counts
/// too). A request that came through a proxy the router does not trust matches no list, whatever its peer address.
/// </summary>
public sealed class AdminAccessPolicy(RouterOptions options)
{
    private const string AdminPrefix = "/_synapse/admin";
    private const string MasApiPrefix = "/_synapse/mas";

    public bool Allows(ClientInfo client) => !client.ForwardedByUntrustedPeer && options.AdminAllowList.Contains(client.Address);

    public bool AllowsMasApi(ClientInfo client) => !client.ForwardedByUntrustedPeer && options.MasApiAllowList.Contains(client.Address);

    public static bool IsAdminPath(ReadOnlySpan<char> normalizedPath) => IsUnder(normalizedPath, AdminPrefix);

    public static bool IsMasApiPath(ReadOnlySpan<char> normalizedPath) => IsUnder(normalizedPath, MasApiPrefix);

    private static bool IsUnder(ReadOnlySpan<char> normalizedPath, string prefix) =>
        normalizedPath.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
        && (normalizedPath.Length == prefix.Length || normalizedPath[prefix.Length] is '/' or '%');
}
