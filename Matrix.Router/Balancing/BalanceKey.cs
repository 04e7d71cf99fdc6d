using System.Net;
using Matrix.Stack.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Matrix.Router.Balancing;

/// <summary>
/// The key a sticky pool hashes on, per the catalog's balance policy:
/// <list type="bullet">
/// <item>access token: <c>Authorization: Bearer</c>, else the <c>access_token</c> query parameter (any opaque string:
/// Synapse's <c>syt_</c> tokens and Matrix Authentication Service tokens alike); the client address when absent.</item>
/// <item>access token's user: the user <see cref="AccessTokenUsers"/> resolved for the token; the token until then.</item>
/// <item>room ID: the path segment after <c>rooms</c>, <c>join</c> or <c>knock</c>, percent-decoded; the path when absent.</item>
/// <item>federation origin: <c>origin</c> of <c>Authorization: X-Matrix</c>; the client address when absent.</item>
/// <item>URI: path and query.</item>
/// </list>
/// Only the hash leaves this class: keys (tokens above all) are never stored or logged.
/// </summary>
public static class BalanceKey
{
    public static ulong For(BalancePolicy policy, HttpRequest request, ReadOnlySpan<char> path, ReadOnlySpan<char> query, IPAddress client) =>
        policy switch
        {
            // Without the resolver (AccessTokenUsers), the user key is the token's: what it is until resolved.
            BalancePolicy.AccessToken or BalancePolicy.AccessTokenUser => AccessToken(request.Headers.Authorization, query) is { IsEmpty: false } token ? Hash(token) : Hash(client),
            BalancePolicy.RoomId => RoomSegment(path) is { IsEmpty: false } room ? Hash(room) : KeyHash.Of(path),
            BalancePolicy.FederationOrigin => XMatrixOrigin(request.Headers.Authorization) is { IsEmpty: false } origin ? KeyHash.Of(origin) : Hash(client),
            BalancePolicy.Uri => query.IsEmpty ? KeyHash.Of(path) : HashPathAndQuery(path, query),
            _ => 0,
        };

    /// <summary>The access token from <c>Authorization: Bearer</c> or <c>access_token=</c>; empty when there is none.</summary>
    public static ReadOnlySpan<char> AccessToken(StringValues authorization, ReadOnlySpan<char> query)
    {
        foreach (var value in authorization)
        {
            var text = value.AsSpan().Trim();
            if (text.Length > 7 && text.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return text[7..].Trim();
            }
        }
        return QueryValue(query, "access_token");
    }

    /// <summary>The raw value of the first query parameter <paramref name="name"/>; empty when absent.</summary>
    public static ReadOnlySpan<char> QueryValue(ReadOnlySpan<char> query, ReadOnlySpan<char> name)
    {
        while (!query.IsEmpty)
        {
            var amp = query.IndexOf('&');
            var pair = amp < 0 ? query : query[..amp];
            query = amp < 0 ? [] : query[(amp + 1)..];
            if (pair.Length > name.Length && pair[name.Length] == '=' && pair.StartsWith(name, StringComparison.Ordinal))
            {
                return pair[(name.Length + 1)..];
            }
        }
        return [];
    }

    /// <summary>The segment after <c>rooms</c>, <c>join</c> or <c>knock</c> (still percent-encoded); empty when absent.</summary>
    public static ReadOnlySpan<char> RoomSegment(ReadOnlySpan<char> path)
    {
        var previousNamesRoom = false;
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (previousNamesRoom && !segment.IsEmpty)
            {
                return segment;
            }
            previousNamesRoom = segment is "rooms" or "join" or "knock";
        }
        return [];
    }

    /// <summary>The <c>origin</c> parameter of an <c>X-Matrix</c> authorization; empty when absent.</summary>
    public static ReadOnlySpan<char> XMatrixOrigin(StringValues authorization)
    {
        foreach (var value in authorization)
        {
            var text = value.AsSpan().Trim();
            if (!text.StartsWith("X-Matrix ", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var parameters = text[9..];
            foreach (var range in parameters.Split(','))
            {
                var parameter = parameters[range].Trim();
                var eq = parameter.IndexOf('=');
                if (eq > 0 && parameter[..eq].Trim().Equals("origin", StringComparison.OrdinalIgnoreCase))
                {
                    return parameter[(eq + 1)..].Trim().Trim('"');
                }
            }
        }
        return [];
    }

    // Percent-encoded and plain spellings of one key (a room ID, a token) must hash alike.
    internal static ulong Hash(ReadOnlySpan<char> key) =>
        key.Contains('%') ? KeyHash.Of(Uri.UnescapeDataString(key.ToString()).AsSpan()) : KeyHash.Of(key);

    internal static ulong Hash(IPAddress client)
    {
        Span<byte> bytes = stackalloc byte[16];
        return client.TryWriteBytes(bytes, out var written) ? KeyHash.Of(bytes[..written]) : 0;
    }

    private static ulong HashPathAndQuery(ReadOnlySpan<char> path, ReadOnlySpan<char> query)
    {
        var length = path.Length + 1 + query.Length;
        Span<char> buffer = length <= 1024 ? stackalloc char[length] : new char[length];
        path.CopyTo(buffer);
        buffer[path.Length] = '?';
        query.CopyTo(buffer[(path.Length + 1)..]);
        return KeyHash.Of(buffer);
    }
}
