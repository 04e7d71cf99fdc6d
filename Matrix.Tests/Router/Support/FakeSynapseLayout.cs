using Matrix.Stack.Layout;

namespace Matrix.Tests.Router.Support;

/// <summary>A set of fake Synapse processes, one per instance, named as Matrix.Stack's layout names them.</summary>
public sealed class FakeSynapseLayout : IAsyncDisposable
{
    private FakeSynapseLayout(IReadOnlyList<FakeSynapseInstance> instances)
    {
        Instances = instances;
    }

    public IReadOnlyList<FakeSynapseInstance> Instances { get; }

    public FakeSynapseInstance this[string instance] => Instances.Single(i => i.Instance == instance);

    public IReadOnlyList<FakeSynapseInstance> Pool(string pool) => Instances.Where(i => i.Pool == pool).ToList();

    /// <summary>Starts <c>count</c> instances for each <c>(pool, count)</c>; main gets the instance name <c>main</c>.</summary>
    public static async Task<FakeSynapseLayout> StartAsync(params (string Pool, int Count)[] pools)
    {
        var starts = pools.SelectMany(p => Enumerable.Range(1, p.Count).Select(n =>
            FakeSynapseInstance.StartAsync(p.Pool, p.Pool == "main" ? "main" : $"{p.Pool}-{n}")));
        return new FakeSynapseLayout(await Task.WhenAll(starts));
    }

    /// <summary>One fake process per request-serving instance of <paramref name="layout"/>.</summary>
    public static async Task<FakeSynapseLayout> StartAsync(SynapseLayout layout)
    {
        var starts = layout.Instances
            .Where(i => i.Pool.ServesRequests)
            .Select(i => FakeSynapseInstance.StartAsync(i.Pool.Name, i.Name));
        return new FakeSynapseLayout(await Task.WhenAll(starts));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in Instances)
        {
            await instance.DisposeAsync();
        }
    }
}
