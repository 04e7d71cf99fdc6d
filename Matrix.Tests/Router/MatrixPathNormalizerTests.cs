using Matrix.Stack.Routing;

namespace Matrix.Tests.Router;

/// <summary>The normalisation the router and the CLI's <c>explain</c> share.</summary>
public class MatrixPathNormalizerTests
{
    [Theory]
    [InlineData("/_matrix/client/v3/sync?since=s1&timeout=30000")]
    [InlineData("/_matrix/client/v3/rooms/!abc:example.org/send/m.room.message/txn1")]
    [InlineData("/_matrix/client/v3/directory/room/%23lobby:example.org")]
    [InlineData("/_matrix/client/v3/rooms/!r:x/event/$abc%2Fdef")]
    [InlineData("/_matrix/client/v3/pushrules/")]
    [InlineData("/")]
    public void CanonicalTargetsAreReturnedAsTheSameString(string target)
    {
        Assert.True(MatrixPathNormalizer.TryNormalize(target, out var normalized, out var reason), reason);
        Assert.Same(target, normalized.Value);
    }

    [Theory]
    [InlineData("//_matrix//client///v3/sync", "/_matrix/client/v3/sync")]
    [InlineData("/_matrix/%63lient/v3/sync?since=1", "/_matrix/client/v3/sync?since=1")]
    [InlineData("/_synapse/%61dmin/v1/users", "/_synapse/admin/v1/users")]
    [InlineData("/_matrix/client/v3/rooms/%21abc%3aexample.org/state", "/_matrix/client/v3/rooms/%21abc%3Aexample.org/state")]
    [InlineData("/a/b%2fc", "/a/b%2Fc")]
    [InlineData("http://matrix.example.org/_matrix/client/versions", "/_matrix/client/versions")]
    [InlineData("https://matrix.example.org:8448/_matrix/key/v2/server?x=%2F", "/_matrix/key/v2/server?x=%2F")]
    [InlineData("/_matrix/client/v3/rooms/!r:x/state/m.room.topic//", "/_matrix/client/v3/rooms/!r:x/state/m.room.topic/")]
    [InlineData("/caf%C3%A9", "/caf%C3%A9")]
    public void EquivalentSpellingsBecomeOne(string target, string expected)
    {
        Assert.True(MatrixPathNormalizer.TryNormalize(target, out var normalized, out var reason), reason);
        Assert.Equal(expected, normalized.Value);
        var q = expected.IndexOf('?');
        Assert.Equal(q < 0 ? expected : expected[..q], normalized.Path.ToString());
        Assert.Equal(q < 0 ? "" : expected[(q + 1)..], normalized.Query.ToString());
    }

    [Theory]
    [InlineData("/_matrix/client/v3/../../_synapse/admin/v1/users", "dot segment")]
    [InlineData("/_matrix/client/./v3/sync", "dot segment")]
    [InlineData("/_matrix/client/v3/sync/..", "dot segment")]
    [InlineData("/_matrix/%2e%2e/_synapse/admin", "dot segment")]
    [InlineData("/_matrix/.%2E/x", "dot segment")]
    [InlineData("/%2E", "dot segment")]
    [InlineData("/_matrix/client/v3/sync%", "percent-encoding")]
    [InlineData("/_matrix/client/v3/sync%4", "percent-encoding")]
    [InlineData("/_matrix/client/v3/sync%zz", "percent-encoding")]
    [InlineData("/_matrix/%C0%AE%C0%AE/x", "UTF-8")]
    [InlineData("/_matrix/%FF", "UTF-8")]
    [InlineData("/_matrix/%ED%A0%80", "UTF-8")]
    [InlineData("/_matrix/client/v3/sync%00", "NUL")]
    [InlineData("/_matrix\\client/v3/sync", "backslash")]
    [InlineData("/_matrix/client v3", "control character or a space")]
    [InlineData("/_matrix/\u0001", "control character")]
    [InlineData("/_matrix/caf\u00e9", "non-ASCII")]
    [InlineData("/_matrix/client/v3/sync#frag", "fragment")]
    [InlineData("/_matrix/client/v3/sync?since=%G1", "query has invalid percent-encoding")]
    [InlineData("/_matrix/client/v3/sync?since=a b", "query contains")]
    [InlineData("_matrix/client/v3/sync", "must be a path")]
    [InlineData("*", "must be a path")]
    [InlineData("ftp://host/x", "must be a path")]
    [InlineData("http://host", "no path")]
    [InlineData("", "empty")]
    public void AmbiguousOrInvalidTargetsAreRefusedWithAReason(string target, string reasonPart)
    {
        Assert.False(MatrixPathNormalizer.TryNormalize(target, out _, out var reason));
        Assert.Contains(reasonPart, reason);
    }

    [Fact]
    public void SegmentsThatMerelyContainDotsAreNotDotSegments()
    {
        foreach (var target in new[] { "/a/...", "/a/.well-known", "/_matrix/media/v3/download/x/file.tar.gz", "/a/..b" })
        {
            Assert.True(MatrixPathNormalizer.TryNormalize(target, out var normalized, out var reason), $"{target}: {reason}");
            Assert.Equal(target, normalized.Value);
        }
    }
}
