using System.Net;
using System.Text.Json;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Router;

/// <summary>The admin allow-list (every spelling of the admin path) and forwarded-header trust.</summary>
public class SecurityTests
{
    private static readonly string[] AdminSpellings =
    [
        "/_synapse/admin/v1/server_version",
        "//_synapse//admin/v1/server_version",
        "/_synapse/%61dmin/v1/server_version",
        "/_synapse/admin%2Fv1/server_version",
        "/_SYNAPSE/Admin/v1/server_version",
        "/_synapse/admin",
        "/_synapse/admin/v1/users/@alice:example.org/media",
    ];

    [Fact]
    public async Task TheAdminApiAnswersLoopbackByDefault()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances);
        Assert.Equal("main", await router.ServedByAsync("/_synapse/admin/v1/server_version"));
        using var status = await router.StatusAsync();
        Assert.Equal("main", status.RootElement.GetProperty("pools")[0].GetProperty("pool").GetString());
    }

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("none")]
    public async Task EverySpellingOfTheAdminApiIsRefusedToClientsOutsideTheAllowList(string allowList)
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("media-repository", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?> { ["Router:AdminAllowList:0"] = allowList });
        foreach (var target in AdminSpellings.Append("/_router/status"))
        {
            using var response = await router.SendAsync(HttpMethod.Get, target);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{target}: {(int)response.StatusCode}");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Equal("M_FORBIDDEN", body.RootElement.GetProperty("errcode").GetString());
        }
        Assert.All(layout.Instances, i => Assert.Empty(i.Received));
        // The rest of the API is unaffected.
        Assert.Equal("main", await router.ServedByAsync("/_matrix/client/v3/pushers"));
    }

    [Fact]
    public async Task TheAllowListIsJudgedOnTheRealClientAddressNotOnASpoofedHeader()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?> { ["Router:AdminAllowList:0"] = "127.0.0.1/32" });
        using var outsider = RouterUnderTest.CreateClient(IPAddress.Parse("127.0.0.2"));
        using var spoofed = router.Request(HttpMethod.Get, "/_synapse/admin/v1/server_version");
        spoofed.Headers.Add("X-Forwarded-For", "127.0.0.1");
        spoofed.Headers.Add("X-Real-IP", "127.0.0.1");
        using var response = await outsider.SendAsync(spoofed, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("main", await router.ServedByAsync("/_synapse/admin/v1/server_version"));
    }

    [Fact]
    public async Task ForwardedHeadersFromAnUntrustedPeerAreReplacedWithWhatTheRouterSaw()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances);
        using var client = RouterUnderTest.CreateClient(IPAddress.Parse("127.0.0.7"));
        using var request = router.Request(HttpMethod.Get, "/_matrix/client/v3/pushers");
        request.Headers.Add("X-Forwarded-For", "203.0.113.50, 198.51.100.1");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Real-IP", "203.0.113.50");
        request.Headers.Add("Forwarded", "for=203.0.113.50;proto=https");
        request.Headers.Host = "matrix.example.org";
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();

        var received = layout["main"].Received.Last();
        Assert.Equal("127.0.0.7", received.Header("X-Forwarded-For"));
        Assert.Equal("http", received.Header("X-Forwarded-Proto"));
        Assert.Null(received.Header("X-Real-IP"));
        Assert.Null(received.Header("Forwarded"));
        Assert.Equal("matrix.example.org", received.Header("Host"));
    }

    [Fact]
    public async Task FromATrustedProxyTheClientIsTheNearestAddressThatIsNotATrustedProxy()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?>
        {
            ["Router:TrustedProxies:0"] = "127.0.0.0/8",
            ["Router:TrustedProxies:1"] = "10.0.0.0/8",
        });

        async Task<ReceivedRequest> SendAsync(string forwardedFor, string forwardedProto, string target = "/_matrix/client/v3/pushers")
        {
            using var response = await router.SendAsync(HttpMethod.Get, target, r =>
            {
                r.Headers.Add("X-Forwarded-For", forwardedFor);
                r.Headers.Add("X-Forwarded-Proto", forwardedProto);
            });
            return layout["main"].Received.Last();
        }

        // client, then an internal load balancer (trusted), then the router's peer (trusted).
        var received = await SendAsync("203.0.113.9, 10.1.2.3", "https, http");
        Assert.Equal("203.0.113.9", received.Header("X-Forwarded-For"));
        Assert.Equal("https", received.Header("X-Forwarded-Proto"));

        // A forged entry to the left of an untrusted hop is not believed.
        received = await SendAsync("192.0.2.66, 198.51.100.20", "https");
        Assert.Equal("198.51.100.20", received.Header("X-Forwarded-For"));

        // The forwarded client is who the admin allow-list judges: a public address is refused.
        using var admin = await router.SendAsync(HttpMethod.Get, "/_synapse/admin/v1/server_version", r => r.Headers.Add("X-Forwarded-For", "203.0.113.9"));
        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
    }
}
