using System.Text;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Router;

/// <summary>
/// Header values with bytes of 0x80 and above (a UTF-8 User-Agent, as many mobile apps send) reach Synapse byte for
/// byte, as Twisted accepts them: never a 5xx, never a failure counted against the instance, no stack trace logged.
/// Bytes that are not UTF-8 get Kestrel's 400 (the router keeps Kestrel's fast ASCII/UTF-8 header decoding).
/// </summary>
public class HeaderBytesTests
{
    [Fact]
    public async Task NonAsciiHeaderValuesAreForwardedByteExactAndHarmNothing()
    {
        await using var main = TwistedLikeBackend.Start("main");
        await using var router = await RouterUnderTest.StartAsync([], new Dictionary<string, string?>
        {
            ["Router:Pools:main:0"] = main.Url,
            ["Router:Health:Interval"] = "3600",
            ["Router:PassiveHealth:ConsecutiveFailures"] = "2",
        });
        var userAgent = Encoding.UTF8.GetBytes("Element/1.11.40 (Pixel 7; Android 14; Zürich 東京)");
        for (var n = 0; n < 4; n++)
        {
            var (status, head) = await RawHttp.SendAsync(router.Port, Request(userAgent));
            Assert.True(status == 200, head);
        }
        // Bytes that are not UTF-8 at all: Kestrel refuses them (400), which is no failure of anyone else.
        byte[] notUtf8 = [.. Encoding.ASCII.GetBytes("Odd/1.0 "), 0xFF, 0x80, .. Encoding.ASCII.GetBytes(" end")];
        for (var n = 0; n < 4; n++)
        {
            var (status, head) = await RawHttp.SendAsync(router.Port, Request(notUtf8));
            Assert.True(status == 400, head);
        }

        var received = main.Heads.Select(h => h.Single(l => l.StartsWith("User-Agent:", StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.Equal(4, received.Count);
        Assert.All(received, line => Assert.Equal(userAgent, Encoding.Latin1.GetBytes(line["User-Agent:".Length..].TrimStart())));
        Assert.True(await router.IsHealthyAsync(main.Url));
        using var status2 = await router.StatusAsync();
        Assert.Equal(0, status2.RootElement.GetProperty("pools")[0].GetProperty("instances")[0].GetProperty("failures").GetInt32());
        Assert.DoesNotContain(router.Logs.Entries, l => l.Contains("Exception", StringComparison.Ordinal));
    }

    private static byte[] Request(byte[] userAgent) =>
        [.. Encoding.ASCII.GetBytes("GET /_matrix/client/versions HTTP/1.1\r\nHost: matrix.example.org\r\nUser-Agent: "),
            .. userAgent, .. Encoding.ASCII.GetBytes("\r\nConnection: close\r\n\r\n")];
}
