using Matrix.Router.Balancing;
using Matrix.Router.Configuration;
using Matrix.Router.Routing;
using Matrix.Stack.Catalog;
using Matrix.Tests.Router.Support;

namespace Matrix.Tests.Router;

/// <summary>
/// Consistent hashing: adding one instance to N moves about 1/(N+1) of the keys, all of them to the new instance;
/// removing one moves exactly the keys it had. Checked on the ring with many keys, and end to end over HTTP.
/// </summary>
public class KeyMovementTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(10)]
    public void AddingAnInstanceMovesAboutItsShareOfKeysAndOnlyToIt(int n)
    {
        var before = Pool(n);
        var after = Pool(n + 1);
        var keys = Keys(20_000);
        var moved = 0;
        foreach (var key in keys)
        {
            var was = before[InstancePicker.BestByHash(before, key, null, 0)].DestinationPrefix;
            var now = after[InstancePicker.BestByHash(after, key, null, 0)].DestinationPrefix;
            if (was != now)
            {
                moved++;
                Assert.Equal(after[n].DestinationPrefix, now);
            }
        }
        var expected = 1.0 / (n + 1);
        var fraction = (double)moved / keys.Length;
        Assert.InRange(fraction, expected * 0.85, expected * 1.15);
    }

    [Fact]
    public void KeysSpreadEvenlyOverInstances()
    {
        var pool = Pool(8);
        var counts = new int[pool.Length];
        foreach (var key in Keys(40_000))
        {
            counts[InstancePicker.BestByHash(pool, key, null, 0)]++;
        }
        Assert.All(counts, c => Assert.InRange(c, 5_000 * 0.9, 5_000 * 1.1));
    }

    [Fact]
    public void AnInstanceTakenOutMovesOnlyItsOwnKeysAndTheyComeBackWithIt()
    {
        var pool = Pool(5);
        var keys = Keys(10_000);
        var home = keys.Select(k => InstancePicker.BestByHash(pool, k, null, 0)).ToArray();

        pool[2].Health.ReportConnectFailure("test");
        for (var i = 0; i < keys.Length; i++)
        {
            var now = InstancePicker.BestByHash(pool, keys[i], null, 0);
            Assert.True(home[i] == 2 ? now != 2 : now == home[i], $"key {i} moved from {home[i]} to {now}");
        }

        pool[2].Health.ReportProbe(true, null);
        Assert.Equal(home, keys.Select(k => InstancePicker.BestByHash(pool, k, null, 0)));
    }

    [Fact]
    public async Task OverHttpAFifthSynchrotronTakesAboutAFifthOfTheUsersAndARemovedOneGivesUpOnlyItsOwn()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("synchrotron", 5));
        var main = layout.Pool("main");
        var first4 = layout.Pool("synchrotron").Take(4).ToList();
        var fifth = layout.Pool("synchrotron")[4];
        var tokens = Enumerable.Range(0, 200).Select(u => $"mat_{u:x4}{u * 2654435761L:x}").ToList();

        async Task<List<string>> ServeAllAsync(IEnumerable<FakeSynapseInstance> instances)
        {
            await using var router = await RouterUnderTest.StartAsync(instances);
            var served = new List<string>();
            foreach (var token in tokens)
            {
                served.Add(await router.ServedByAsync("/_matrix/client/v3/sync?since=s1", r => r.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}")));
            }
            return served;
        }

        var withFour = await ServeAllAsync([.. main, .. first4]);
        var withFive = await ServeAllAsync([.. main, .. first4, fifth]);
        var withThree = await ServeAllAsync([.. main, .. first4.Take(3)]);

        var movedToFifth = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (withFour[i] != withFive[i])
            {
                Assert.Equal(fifth.Instance, withFive[i]);
                movedToFifth++;
            }
            // Removing synchrotron-4: only its users move.
            Assert.True(withFour[i] == first4[3].Instance ? withThree[i] != first4[3].Instance : withThree[i] == withFour[i]);
        }
        // Expected 1/5 of 200 = 40; generous bounds, the hash is deterministic.
        Assert.InRange(movedToFifth, 20, 65);
        Assert.InRange(withFour.Count(s => s == first4[3].Instance), 25, 80);
    }

    private static PoolInstance[] Pool(int n) =>
        [.. Enumerable.Range(1, n).Select(i => new PoolInstance(
            PoolType.Synchrotron,
            $"http://10.0.0.{i}:8083",
            new PoolDestination(PoolType.Synchrotron, new Uri($"http://10.0.0.{i}:8083"), $"Router:Pools:synchrotron:{i - 1}"),
            new ActiveHealthOptions()))];

    private static ulong[] Keys(int count) =>
        [.. Enumerable.Range(0, count).Select(i => KeyHash.Of($"syt_dXNlcg_{i}_token".AsSpan()))];
}
