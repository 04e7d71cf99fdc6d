using System.Net;
using System.Net.Sockets;
using Matrix.Stack.Catalog;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Router;

/// <summary>What <c>/_router/status</c> reports is what the router does.</summary>
public class RouterStatusTests
{
    [Fact]
    public async Task TheStatusPageShowsTheBalanceInForce()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("synchrotron", 2), ("client-reader", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?> { ["Router:Balance:synchrotron"] = "access-token-user" });

        using var status = await router.StatusAsync();
        var balance = status.RootElement.GetProperty("pools").EnumerateArray()
            .ToDictionary(p => p.GetProperty("pool").GetString()!, p => p.GetProperty("balance").GetString());
        Assert.Equal("access-token-user", balance["synchrotron"]);
        // A pool without a setting shows the catalog's.
        Assert.Equal(WorkerCatalog.Get(PoolType.ClientReader).Balance.Name(), balance["client-reader"]);
    }

    [Fact]
    public async Task TheStatusPageCountsTheClientConnectionsHeldUntilTheyClose()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances);
        async Task<long> HeldAsync()
        {
            using var status = await router.StatusAsync();
            return status.RootElement.GetProperty("clientConnections").GetInt64();
        }
        // The status page's own client keeps its connection: it is counted in the baseline.
        var baseline = await HeldAsync();
        Assert.True(baseline >= 1, $"{baseline} client connections while one asks");

        var clients = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var client = new TcpClient();
                clients.Add(client);
                await client.ConnectAsync(IPAddress.Loopback, router.Port, TestContext.Current.CancellationToken);
            }
            await Eventually.HoldsAsync(async () => await HeldAsync() == baseline + 5, "five more connections to be counted");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
        await Eventually.HoldsAsync(async () => await HeldAsync() == baseline, "the five to be counted out once closed");
    }
}
