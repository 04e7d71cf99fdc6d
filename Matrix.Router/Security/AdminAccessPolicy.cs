using System.Net;
using Matrix.Router.Configuration;

namespace Matrix.Router.Security;

/// <summary>
/// Synapse's admin API (<c>/_synapse/admin/*</c>) and the router's own status page answer only clients in
/// <see cref="RouterOptions.AdminAllowList"/>. Checked on the normalised path, case-insensitively, so no spelling of
/// the path slips past it (an encoded slash right after <c>admin</c> counts too).
/// </summary>
public sealed class AdminAccessPolicy(RouterOptions options)
{
    private const string AdminPrefix = "/_synapse/admin";

    public bool Allows(IPAddress client) => options.AdminAllowList.Contains(client);

    public static bool IsAdminPath(ReadOnlySpan<char> normalizedPath) =>
        normalizedPath.StartsWith(AdminPrefix, StringComparison.OrdinalIgnoreCase)
        && (normalizedPath.Length == AdminPrefix.Length || normalizedPath[AdminPrefix.Length] is '/' or '%');
}
