using Matrix.Stack.Catalog;
using Matrix.Stack.Model;
using static Matrix.Stack.Catalog.PoolType;

namespace Matrix.Stack.Presets;

/// <summary>Starting layouts. Every preset can be adjusted afterwards with settings (<c>--set workers.synchrotron=12</c>).</summary>
public static class StackPresets
{
    public const string Monolith = "monolith";
    public const string OneOfEach = "one-of-each";
    public const string Specialized = "specialized";
    public const string Large = "large";
    public const string Full = "full";

    public static IReadOnlyList<string> Names { get; } = [Monolith, OneOfEach, Specialized, Large, Full];

    // MAS's pools exist only with mas.enabled: an operator adds mas-helper workers with workers.mas-helper.
    private static IEnumerable<PoolType> SynapseWorkerPools =>
        Enum.GetValues<PoolType>().Where(t => t != Main && !WorkerCatalog.Get(t).RequiresMas);

    /// <summary>A fresh options object for the preset; throws naming the known presets when the name is unknown.</summary>
    public static StackOptions Create(string name)
    {
        var options = new StackOptions();
        var workers = name switch
        {
            // The small single-node deployment: main does everything.
            Monolith => new Dictionary<PoolType, int>(),

            // Every pool type once: the widest layout for trying things out.
            OneOfEach => SynapseWorkerPools.ToDictionary(t => t, _ => 1),

            // One instance per concern, the shape most medium deployments grow into.
            Specialized => new()
            {
                [Synchrotron] = 1, [InitialSynchrotron] = 1, [ClientReader] = 1, [EventCreator] = 1,
                [FederationInbound] = 1, [FederationReader] = 1, [FederationSender] = 1, [MediaRepository] = 1,
                [UserDir] = 1, [Pusher] = 1, [Background] = 1, [EventPersister] = 1,
            },

            // About 20,000 concurrent users: sync dominates, then reads, persistence and federation.
            Large => new()
            {
                [Synchrotron] = 8, [InitialSynchrotron] = 2, [ClientReader] = 4, [EventCreator] = 2,
                [FederationInbound] = 2, [FederationReader] = 2, [FederationSender] = 2, [MediaRepository] = 2,
                [UserDir] = 1, [Pusher] = 2, [Background] = 1, [EventPersister] = 3,
                [Typing] = 1, [ToDevice] = 1, [AccountData] = 1, [Receipts] = 1, [Presence] = 1,
                [PushRules] = 1, [DeviceLists] = 1,
            },

            // Every pool type, the load-balanced ones twice: the layout the conformance routes assume.
            Full => SynapseWorkerPools.ToDictionary(
                t => t,
                t => t is Synchrotron or EventCreator or FederationInbound or ClientReader ? 2 : 1),

            _ => throw new ArgumentException($"unknown preset '{name}'; known presets: {string.Join(", ", Names)}", nameof(name)),
        };
        foreach (var (pool, count) in workers)
        {
            options.Workers[pool] = count;
        }
        return options;
    }
}
