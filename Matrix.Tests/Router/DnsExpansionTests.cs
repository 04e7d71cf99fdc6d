using System.Net;
using Matrix.Router.Discovery;
using Matrix.Tests.Router.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Matrix.Tests.Router;

/// <summary>
/// A destination host name that resolves to several addresses (a Kubernetes headless service) becomes one instance
/// per address, and re-resolution picks up addresses that come and go. DNS is the one part replaced here (no DNS
/// server can be configured on this machine); the instances are real servers on 127.0.0.x addresses.
/// </summary>
public class DnsExpansionTests
{
    private sealed class ChangingResolver : IPoolMemberLookup
    {
        public volatile IPAddress[] Addresses = [];

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            host == "synchrotron.matrix.svc.cluster.local"
                ? Task.FromResult(Addresses)
                : Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));
    }

    [Fact]
    public async Task EachResolvedAddressIsAnInstanceAndNewPodsArePickedUp()
    {
        await using var main = await FakeSynapseInstance.StartAsync("main", "main");
        var pod1 = await FakeSynapseInstance.StartAsync("synchrotron", "pod-1", IPAddress.Parse("127.0.0.21"));
        await using var _1 = pod1;
        await using var pod2 = await FakeSynapseInstance.StartAsync("synchrotron", "pod-2", IPAddress.Parse("127.0.0.22"), pod1.Port);
        await using var pod3 = await FakeSynapseInstance.StartAsync("synchrotron", "pod-3", IPAddress.Parse("127.0.0.23"), pod1.Port);
        var resolver = new ChangingResolver { Addresses = [IPAddress.Parse("127.0.0.21"), IPAddress.Parse("127.0.0.22")] };

        await using var router = await RouterUnderTest.StartAsync([main], new Dictionary<string, string?>
        {
            ["Router:Pools:synchrotron:0"] = $"http://synchrotron.matrix.svc.cluster.local:{pod1.Port}",
            ["Router:Dns:RefreshInterval"] = "0.2",
        }, services => services.AddSingleton<IPoolMemberLookup>(resolver));

        await router.WaitForHealthAsync(pod2, healthy: true);
        var served = await ServedAsync(router);
        Assert.Equal(["pod-1", "pod-2"], served.Distinct().Order());

        resolver.Addresses = [.. resolver.Addresses, IPAddress.Parse("127.0.0.23")];
        await router.WaitForHealthAsync(pod3, healthy: true);
        var after = await ServedAsync(router);
        Assert.Contains("pod-3", after);
        // Only users that moved to the new pod changed instance.
        for (var u = 0; u < served.Count; u++)
        {
            Assert.True(after[u] == served[u] || after[u] == "pod-3", $"user {u}: {served[u]} -> {after[u]}");
        }

        // A pod that leaves DNS stops getting requests.
        resolver.Addresses = [IPAddress.Parse("127.0.0.22"), IPAddress.Parse("127.0.0.23")];
        await Eventually.HoldsAsync(async () => await router.IsHealthyAsync(pod1.Url) is null, "pod-1 to leave the pool");
        Assert.DoesNotContain("pod-1", await ServedAsync(router));
    }

    private static async Task<List<string>> ServedAsync(RouterUnderTest router)
    {
        var served = new List<string>();
        for (var u = 0; u < 40; u++)
        {
            served.Add(await router.ServedByAsync("/_matrix/client/v3/sync?since=1", r => r.Headers.TryAddWithoutValidation("Authorization", $"Bearer dns-user-{u}")));
        }
        return served;
    }
}
