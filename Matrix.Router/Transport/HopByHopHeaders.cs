using Microsoft.Net.Http.Headers;

namespace Matrix.Router.Transport;

/// <summary>
/// Headers that belong to one connection, not to the message (RFC 9110 §7.6.1), as YARP's forwarder lists them plus
/// <c>Trailer</c>: never passed on in either direction.
/// </summary>
internal static class HopByHopHeaders
{
    public static IReadOnlyList<string> Names { get; } =
    [
        HeaderNames.Connection, HeaderNames.TransferEncoding, HeaderNames.KeepAlive, HeaderNames.Upgrade,
        HeaderNames.ProxyConnection, HeaderNames.ProxyAuthenticate, "Proxy-Authentication-Info", HeaderNames.ProxyAuthorization,
        "Proxy-Features", "Proxy-Instruction", "Security-Scheme", "ALPN", "Close", "HTTP2-Settings",
        HeaderNames.UpgradeInsecureRequests, HeaderNames.TE, HeaderNames.AltSvc, HeaderNames.Trailer,
    ];
}
