using Matrix.Stack.Model;

namespace Matrix.Stack.Coturn;

/// <summary>
/// The names coturn is known by once defaults are applied. Synapse's <c>turn_uris</c> and coturn's <c>realm</c> must agree,
/// so every renderer asks here instead of repeating the defaults.
/// </summary>
public static class CoturnEndpoints
{
    /// <summary>The host clients reach coturn at: <c>coturn.publicHost</c>, else <c>turn.</c> + the server name's host.</summary>
    public static string PublicHost(StackOptions options) =>
        options.Coturn.PublicHost ?? $"turn.{ServerNameHost(options.ServerName)}";

    /// <summary>The TURN realm: <c>coturn.realm</c>, else the public host.</summary>
    public static string Realm(StackOptions options) => options.Coturn.Realm ?? PublicHost(options);

    // A server name may carry a port ("example.org:8448"); a derived host name must not.
    internal static string ServerNameHost(string serverName) =>
        serverName.StartsWith('[') ? serverName[..(serverName.IndexOf(']') + 1)]
        : serverName.LastIndexOf(':') is >= 0 and var colon ? serverName[..colon]
        : serverName;
}
