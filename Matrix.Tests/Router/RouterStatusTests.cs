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
}
