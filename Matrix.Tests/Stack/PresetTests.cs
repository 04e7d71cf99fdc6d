using Matrix.Stack.Catalog;
using Matrix.Stack.Layout;
using Matrix.Stack.Presets;

namespace Matrix.Tests.Stack;

public class PresetTests
{
    [Fact]
    public void MonolithIsMainAlone()
    {
        var layout = SynapseLayout.Create(StackPresets.Create("monolith"));
        var main = Assert.Single(layout.Instances);
        Assert.Equal("main", main.Name);
        Assert.Empty(layout.ReplicationInstances);
    }

    [Fact]
    public void FullHasEveryPoolAndTwoOfTheBalancedOnes()
    {
        var options = StackPresets.Create("full");
        foreach (var type in Enum.GetValues<PoolType>())
        {
            // MAS's pools come only with mas.enabled (and mas-helper only when asked for).
            var expected = WorkerCatalog.Get(type).RequiresMas ? 0 : type is PoolType.Synchrotron or PoolType.EventCreator or PoolType.FederationInbound or PoolType.ClientReader ? 2 : 1;
            Assert.True(expected == options.Count(type), $"{type.Name()}: {options.Count(type)} instance(s)");
        }
    }

    [Fact]
    public void LargeIsSizedForTwentyThousandUsers()
    {
        var options = StackPresets.Create("large");
        Assert.Equal(8, options.Count(PoolType.Synchrotron));
        Assert.Equal(4, options.Count(PoolType.ClientReader));
        Assert.InRange(options.Count(PoolType.EventPersister), 2, 3);
        Assert.Equal(2, options.Count(PoolType.FederationSender));
        Assert.Equal(2, options.Count(PoolType.MediaRepository));
        foreach (var writer in WorkerCatalog.All.Where(p => p.Stream is not null))
        {
            Assert.True(options.Count(writer.Type) >= 1, $"large has no {writer.Name} writer");
        }
    }

    [Fact]
    public void OneOfEachHasExactlyOneOfEveryPool()
    {
        var options = StackPresets.Create("one-of-each");
        Assert.All(Enum.GetValues<PoolType>(), type => Assert.Equal(WorkerCatalog.Get(type).RequiresMas ? 0 : 1, options.Count(type)));
    }

    [Fact]
    public void LayoutNamesAreUniqueAndReplicationCoversMainAndStreamWriters()
    {
        var layout = SynapseLayout.Create(StackPresets.Create("large"));
        Assert.Equal(layout.Instances.Count, layout.Instances.Select(i => i.Name).Distinct().Count());
        Assert.Contains(layout.ReplicationInstances, i => i.IsMain);
        Assert.Equal(3, layout.ReplicationInstances.Count(i => i.PoolType == PoolType.EventPersister));
        Assert.All(layout.ReplicationInstances, i => Assert.NotNull(i.ReplicationPort));
        Assert.All(layout.Instances.Where(i => i.Pool.Stream is null && !i.IsMain), i => Assert.Null(i.ReplicationPort));
        Assert.Equal("synapse-synchrotron-8", layout.InstancesOf(PoolType.Synchrotron)[^1].Host);
    }
}
