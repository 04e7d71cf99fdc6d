using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Matrix.Router.Routing;

/// <summary>
/// Whether a request's client went away, stated once for the forwarding and for its failure handling. Over HTTP/1.x the
/// connection is the request's: its closed token, which Kestrel itself watches to abort the request, fires when the
/// client closes or resets it. Watching that token instead of <see cref="HttpContext.RequestAborted"/> spares each
/// waiting long-poll the token source Kestrel makes for the latter on first use and keeps with the connection, 116 bytes
/// (docs/performance.md, round 4). Protocols that carry several requests on a connection have only
/// <see cref="HttpContext.RequestAborted"/>.
/// </summary>
internal static class ClientDeparture
{
    /// <summary>The token to watch while a request is forwarded.</summary>
    public static CancellationToken Token(HttpContext context) =>
        (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
        && context.Features.Get<IConnectionLifetimeFeature>() is { } connection
            ? connection.ConnectionClosed
            : context.RequestAborted;

    /// <summary>
    /// Whether the client is gone, by either signal. The connection's can come first (what watches it may run before
    /// Kestrel's own watcher aborts the request), <see cref="HttpContext.RequestAborted"/> first when Kestrel ends the
    /// request itself (a timeout, an abort), so a failure is put down to the client in both cases. For failure paths:
    /// the first read of <see cref="HttpContext.RequestAborted"/> makes its token source.
    /// </summary>
    public static bool IsGone(HttpContext context) =>
        Token(context).IsCancellationRequested || context.RequestAborted.IsCancellationRequested;
}
