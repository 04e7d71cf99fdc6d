using System.Net;

namespace Matrix.Router.Security;

/// <summary>
/// Who sent a request, as far as the router can tell: the address and scheme it tells Synapse.
/// <see cref="ForwardedByUntrustedPeer"/>: the request carries forwarding headers (<c>X-Forwarded-For</c>,
/// <c>Forwarded</c>, <c>X-Real-IP</c>) from a peer that is not a trusted proxy, so <see cref="Address"/> is a proxy's
/// (a reverse proxy on the same host makes every client 127.0.0.1), not the client's: no allow-list matches it.
/// </summary>
public readonly record struct ClientInfo(IPAddress Address, string Scheme, bool ForwardedByUntrustedPeer = false);
