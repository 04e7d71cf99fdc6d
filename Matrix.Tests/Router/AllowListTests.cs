using System.Net;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Router;

/// <summary>
/// What the allow-lists guard (the admin API, the status page, Synapse's API for MAS) stays closed to clients that
/// arrive through a proxy the router does not trust, even one on the same host (Debian's nginx here), and
/// <c>/_synapse/mas/*</c> answers only the networks allowed for it.
/// </summary>
public class AllowListTests
{
    [Fact]
    public async Task AReverseProxyOnTheSameHostDoesNotOpenTheAdminApiOrTheStatusPage()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("mas-helper", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances);
        await using var nginx = await NginxProxy.StartAsync(router.Port);
        using var viaNginx = new HttpClient { BaseAddress = new Uri(nginx.Url) };
        var ct = TestContext.Current.CancellationToken;

        foreach (var target in new[] { "/_synapse/admin/v1/server_version", "/_router/status", "/_synapse/mas/provision_user" })
        {
            using var response = await viaNginx.GetAsync(target, ct);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{target} through nginx: {(int)response.StatusCode}");
        }
        using (var ordinary = await viaNginx.GetAsync("/_matrix/client/versions", ct))
        {
            Assert.Equal(HttpStatusCode.OK, ordinary.StatusCode);
        }
        Assert.DoesNotContain(layout["main"].Received, r => r.RawTarget.StartsWith("/_synapse", StringComparison.Ordinal));
        Assert.Empty(layout["mas-helper-1"].Received);

        // A loopback client that names any forwarding header is a proxy too; without one it is loopback as before.
        foreach (var header in new[] { ("X-Forwarded-For", "203.0.113.9"), ("Forwarded", "for=203.0.113.9"), ("X-Real-IP", "203.0.113.9") })
        {
            using var forwarded = await router.SendAsync(HttpMethod.Get, "/_synapse/admin/v1/server_version", r => r.Headers.TryAddWithoutValidation(header.Item1, header.Item2));
            Assert.True(forwarded.StatusCode == HttpStatusCode.Forbidden, $"{header.Item1}: {(int)forwarded.StatusCode}");
        }
        Assert.Equal("main", await router.ServedByAsync("/_synapse/admin/v1/server_version"));
        Assert.Contains(router.Logs.Entries, l => l.Contains("from any other peer matches no allow-list", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheMasApiAnswersOnlyTheNetworksAllowedForIt()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("mas-helper", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?> { ["Router:MasApiAllowList"] = "127.0.0.1/32" });
        var helper = layout["mas-helper-1"];
        using var outsider = RouterUnderTest.CreateClient(IPAddress.Parse("127.0.0.2"));

        foreach (var target in new[] { "/_synapse/mas/provision_user", "/_SYNAPSE/Mas/sync_devices", "/_synapse/mas%2Fis_localpart_available", "/_synapse/mas" })
        {
            using var response = await router.SendAsync(HttpMethod.Post, target, client: outsider);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{target}: {(int)response.StatusCode}");
        }
        Assert.Empty(helper.Received);
        Assert.Equal("mas-helper-1", await router.ServedByAsync("/_synapse/mas/provision_user", method: HttpMethod.Post));
        // Public Synapse paths stay public.
        using var client = await router.SendAsync(HttpMethod.Get, "/_synapse/client/pick_username/account", client: outsider);
        Assert.NotEqual(HttpStatusCode.Forbidden, client.StatusCode);
        Assert.Contains(router.Logs.Entries, l => l.Contains("(/_synapse/mas/*) is reachable from: 127.0.0.1/32", StringComparison.Ordinal));
    }

    [Fact]
    public void ByDefaultTheMasApiIsOpenToLoopbackAndPrivateNetworksOnly()
    {
        var options = RouterOptionsTests.Read(("Router:Pools:main:0", "http://synapse-main:8008"));
        Assert.True(options.MasApiAllowList.Contains(IPAddress.Parse("10.42.0.7")));
        Assert.True(options.MasApiAllowList.Contains(IPAddress.Loopback));
        Assert.False(options.MasApiAllowList.Contains(IPAddress.Parse("203.0.113.9")));
    }
}
