using System.Net;
using Matrix.Router.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Matrix.Router.Security;

/// <summary>
/// Decides the client address and scheme. <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed only when
/// the TCP peer is a trusted proxy, and then only as far back as the chain stays within trusted proxies: the
/// rightmost address that is not a trusted proxy is the client. From anyone else the headers are ignored and
/// replaced with what the router saw, so a client cannot choose the address Synapse records, rate-limits or allows.
/// Their mere presence from an untrusted peer is remembered (<see cref="ClientInfo.ForwardedByUntrustedPeer"/>): such a
/// peer is a proxy nobody declared, and the address it connects from says nothing about its clients.
/// </summary>
public sealed class ClientAddressResolver(RouterOptions options)
{
    private readonly IpNetworkList _trusted = options.TrustedProxies;

    public ClientInfo Resolve(HttpContext context)
    {
        var peer = IpNetworkList.Canonical(context.Connection.RemoteIpAddress ?? IPAddress.IPv6None);
        var scheme = context.Request.Scheme;
        if (_trusted.IsEmpty || !_trusted.Contains(peer))
        {
            var headers = context.Request.Headers;
            var forwarded = headers.ContainsKey("X-Forwarded-For") || headers.ContainsKey("Forwarded") || headers.ContainsKey("X-Real-IP");
            return new ClientInfo(peer, scheme, forwarded);
        }

        var forwardedFor = Split(context.Request.Headers["X-Forwarded-For"]);
        var client = peer;
        var consumed = 0;
        for (var i = forwardedFor.Count - 1; i >= 0 && _trusted.Contains(client); i--)
        {
            if (!TryParseForwardedAddress(forwardedFor[i], out var hop))
            {
                break;
            }
            client = hop;
            consumed++;
        }

        var forwardedProto = Split(context.Request.Headers["X-Forwarded-Proto"]);
        if (forwardedProto.Count > 0)
        {
            // Proxies that append keep one entry per hop, aligned with X-Forwarded-For; otherwise the nearest one counts.
            var index = forwardedProto.Count == forwardedFor.Count && consumed > 0 ? forwardedFor.Count - consumed : forwardedProto.Count - 1;
            var proto = forwardedProto[index];
            if (proto.Equals("https", StringComparison.OrdinalIgnoreCase) || proto.Equals("http", StringComparison.OrdinalIgnoreCase))
            {
                scheme = proto.ToLowerInvariant();
            }
        }
        return new ClientInfo(client, scheme);
    }

    private static List<string> Split(StringValues values)
    {
        var items = new List<string>();
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }
            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                items.Add(part);
            }
        }
        return items;
    }

    // "203.0.113.7", "203.0.113.7:51234", "2001:db8::1", "[2001:db8::1]:443".
    private static bool TryParseForwardedAddress(string text, out IPAddress address)
    {
        if (IPAddress.TryParse(text, out address!))
        {
            address = IpNetworkList.Canonical(address);
            return true;
        }
        if (IPEndPoint.TryParse(text, out var endPoint))
        {
            address = IpNetworkList.Canonical(endPoint.Address);
            return true;
        }
        return false;
    }
}
