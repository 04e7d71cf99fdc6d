namespace Matrix.Bench.Routing;

/// <summary>
/// A request mix shaped like a busy homeserver's access log: incremental sync long-polls dominate, then
/// sends, reads, federation transactions and media. Shares are per mille.
/// </summary>
public static class RequestMix
{
    private static readonly (int Share, string Method, string Target)[] Shapes =
    [
        (520, "GET", "/_matrix/client/v3/sync?since=s{0}_4483_1934&timeout=30000&filter=1"),
        (20, "GET", "/_matrix/client/v3/sync?filter=0&timeout=0"),
        (110, "PUT", "/_matrix/client/v3/rooms/!room{0}:example.org/send/m.room.message/txn{0}"),
        (40, "POST", "/_matrix/client/v3/rooms/!room{0}:example.org/receipt/m.read/$ev{0}"),
        (30, "PUT", "/_matrix/client/v3/rooms/!room{0}:example.org/typing/@user{0}:example.org"),
        (40, "GET", "/_matrix/client/v3/rooms/!room{0}:example.org/messages?dir=b&from=t{0}&limit=20"),
        (30, "POST", "/_matrix/client/v3/keys/query"),
        (20, "GET", "/_matrix/client/v3/pushrules/"),
        (20, "GET", "/_matrix/client/v3/user/@user{0}:example.org/account_data/m.direct"),
        (60, "PUT", "/_matrix/federation/v1/send/{0}"),
        (20, "GET", "/_matrix/federation/v1/event/$ev{0}"),
        (50, "GET", "/_matrix/client/v1/media/thumbnail/example.org/media{0}?width=96&height=96"),
        (15, "POST", "/_matrix/media/v3/upload?filename=a{0}.png"),
        (10, "GET", "/_matrix/client/v3/joined_rooms"),
        (10, "POST", "/_matrix/client/v3/logout"),
        (5, "GET", "/_synapse/admin/v1/server_version"),
    ];

    /// <summary>A deterministic sequence of <paramref name="count"/> requests in the mix's proportions.</summary>
    public static (string Method, string Path, string Query)[] Create(int count)
    {
        var random = new Random(20261121);
        var total = Shapes.Sum(s => s.Share);
        var requests = new (string, string, string)[count];
        for (var i = 0; i < count; i++)
        {
            var pick = random.Next(total);
            var shape = Shapes.First(s => (pick -= s.Share) < 0);
            var target = string.Format(System.Globalization.CultureInfo.InvariantCulture, shape.Target, random.Next(100_000));
            var q = target.IndexOf('?');
            requests[i] = q < 0 ? (shape.Method, target, "") : (shape.Method, target[..q], target[(q + 1)..]);
        }
        return requests;
    }
}
