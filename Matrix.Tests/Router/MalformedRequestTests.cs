using System.Net;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Router;

/// <summary>
/// A corpus of malformed requests, sent byte for byte over TCP: each must get a 4xx (never a 5xx, never a forwarded
/// request for those refused before forwarding), and the router must keep serving afterwards.
/// </summary>
public class MalformedRequestTests
{
    private const string Host = "Host: matrix.example.org\r\n";

    /// <summary>Name, raw request, and whether it may legitimately reach an instance before failing (body errors).</summary>
    public static IEnumerable<(string Name, string Request, bool MayReachInstance)> Corpus()
    {
        static (string, string, bool) Get(string name, string target) => (name, $"GET {target} HTTP/1.1\r\n{Host}Connection: close\r\n\r\n", false);

        yield return Get("dot-dot segments escaping to admin", "/_matrix/client/v3/../../_synapse/admin/v1/users");
        yield return Get("dot segment", "/_matrix/client/./v3/sync");
        yield return Get("encoded dot-dot", "/_matrix/%2e%2e/_synapse/admin/v1/users");
        yield return Get("trailing dot-dot", "/_matrix/client/v3/sync/..");
        yield return Get("half-encoded dot-dot", "/_matrix/.%2E/x");
        yield return Get("overlong UTF-8 dots", "/_matrix/%C0%AE%C0%AE/_synapse/admin");
        yield return Get("truncated escape at end", "/_matrix/client/v3/sync%");
        yield return Get("one-digit escape", "/_matrix/client/v3/sync%4");
        yield return Get("non-hex escape", "/_matrix/client/v3/%zzsync");
        yield return Get("invalid UTF-8 escapes", "/_matrix/%FF%FE");
        yield return Get("encoded surrogate", "/_matrix/%ED%A0%80");
        yield return Get("encoded NUL", "/_matrix/client/v3/sync%00");
        yield return Get("backslashes", "/_matrix\\client\\v3\\sync");
        yield return Get("invalid escape in query", "/_matrix/client/v3/sync?since=%G1");
        yield return Get("truncated escape in query token", "/_matrix/client/v3/sync?access_token=abc%");
        yield return Get("no leading slash", "_matrix/client/v3/sync");
        yield return Get("asterisk form on GET", "*");
        yield return Get("absolute form with another scheme", "ftp://matrix.example.org/_matrix/client/versions");
        yield return Get("absolute form with dot segments", "http://matrix.example.org/_matrix/../_synapse/admin/v1/users");
        yield return Get("fragment", "/_matrix/client/v3/sync#frag");
        yield return Get("raw non-ASCII", "/_matrix/client/v3/caf\u00c3\u00a9");
        yield return Get("raw control character", "/_matrix/\u0001client");
        yield return ("space in target", $"GET /_matrix/client v3/sync HTTP/1.1\r\n{Host}\r\n", false);
        yield return ("no Host header", "GET /_matrix/client/versions HTTP/1.1\r\nConnection: close\r\n\r\n", false);
        yield return ("two Host headers", $"GET /_matrix/client/versions HTTP/1.1\r\n{Host}Host: evil.example\r\nConnection: close\r\n\r\n", false);
        yield return ("header without colon", $"GET /_matrix/client/versions HTTP/1.1\r\n{Host}NoColonHere\r\nConnection: close\r\n\r\n", false);
        yield return ("space in header name", $"GET /_matrix/client/versions HTTP/1.1\r\n{Host}Bad Header: x\r\nConnection: close\r\n\r\n", false);
        yield return ("obsolete header line folding", $"GET /_matrix/client/versions HTTP/1.1\r\n{Host}X-Folded: a\r\n b\r\nConnection: close\r\n\r\n", false);
        yield return ("NUL in header value", $"GET /_matrix/client/versions HTTP/1.1\r\n{Host}X-Nul: a\0b\r\nConnection: close\r\n\r\n", false);
        yield return ("invalid method characters", $"G@T /_matrix/client/versions HTTP/1.1\r\n{Host}Connection: close\r\n\r\n", false);
        yield return ("request line of 20 KB", $"GET /_matrix/client/v3/sync?since={new string('a', 20_000)} HTTP/1.1\r\n{Host}Connection: close\r\n\r\n", false);
        yield return ("header of 64 KB", $"GET /_matrix/client/versions HTTP/1.1\r\n{Host}X-Big: {new string('b', 64 * 1024)}\r\nConnection: close\r\n\r\n", false);
        yield return ("non-numeric Content-Length", $"POST /_matrix/client/v3/keys/query HTTP/1.1\r\n{Host}Content-Length: abc\r\nConnection: close\r\n\r\n{{}}", false);
        yield return ("two different Content-Lengths", $"POST /_matrix/client/v3/keys/query HTTP/1.1\r\n{Host}Content-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{{}}", false);
        yield return ("final transfer coding not chunked", $"POST /_matrix/client/v3/keys/query HTTP/1.1\r\n{Host}Transfer-Encoding: gzip\r\nConnection: close\r\n\r\n{{}}", false);
        yield return ("upload over the limit (Content-Length)", $"POST /_matrix/media/v3/upload HTTP/1.1\r\n{Host}Content-Type: image/png\r\nContent-Length: 2147483648\r\nConnection: close\r\n\r\n", false);
        yield return ("JSON body over the limit (Content-Length)", $"PUT /_matrix/client/v3/rooms/!r:x/send/m.room.message/t HTTP/1.1\r\n{Host}Content-Type: application/json\r\nContent-Length: 1073741824\r\nConnection: close\r\n\r\n", false);
        yield return ("invalid chunk size", $"POST /_matrix/client/v3/keys/query HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n", true);
        yield return ("chunked upload over the limit", $"POST /_matrix/client/v3/keys/query HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n{"100000\r\n" + new string('x', 0x100000) + "\r\n"}{"100000\r\n" + new string('x', 0x100000) + "\r\n"}0\r\n\r\n", true);
    }

    [Fact]
    public async Task EveryMalformedRequestGetsA4xxAndTheRouterKeepsServing()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("client-reader", 1), ("media-repository", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?>
        {
            ["Router:Limits:MaxRequestBodySize"] = "1M",
            ["Router:Limits:MaxUploadSize"] = "10M",
        });
        var corpus = Corpus().ToList();
        var wrong = new List<string>();
        foreach (var (name, request, mayReachInstance) in corpus)
        {
            var before = layout.Instances.Sum(i => i.Received.Count);
            var (status, head) = await RawHttp.SendAsync(router.Port, RawHttp.Bytes(request));
            if (status is < 400 or > 499)
            {
                wrong.Add($"{name}: {(status == 0 ? "no answer" : head.Split("\r\n")[0])}");
            }
            if (!mayReachInstance && layout.Instances.Sum(i => i.Received.Count) != before)
            {
                wrong.Add($"{name}: reached an instance");
            }
        }

        Assert.True(corpus.Count >= 30, $"the corpus has only {corpus.Count} requests");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        using var versions = await router.SendAsync(HttpMethod.Get, "/_matrix/client/versions");
        Assert.Equal(HttpStatusCode.OK, versions.StatusCode);
        Assert.Equal("client-reader-1", versions.Headers.GetValues("X-Backend-Instance").Single());
    }
}
