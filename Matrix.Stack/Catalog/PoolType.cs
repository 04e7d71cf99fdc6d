namespace Matrix.Stack.Catalog;

/// <summary>
/// The kinds of Synapse process pool. Each has its catalog entry in <see cref="WorkerCatalog"/>;
/// its configuration name (<c>client-reader</c>...) comes from <see cref="PoolTypeNames"/>.
/// </summary>
public enum PoolType
{
    Main,
    Synchrotron,
    InitialSynchrotron,
    ClientReader,
    EventCreator,
    FederationInbound,
    FederationReader,
    FederationSender,
    MediaRepository,
    UserDir,
    SsoLogin,
    Pusher,
    Appservice,
    Background,
    EventPersister,
    Typing,
    ToDevice,
    AccountData,
    Receipts,
    Presence,
    PushRules,
    DeviceLists,
    SlidingSync,

    /// <summary>Synapse generic workers serving MAS's calls to Synapse (<c>/_synapse/mas/</c>); only with MAS on.</summary>
    MasHelper,

    /// <summary>Matrix Authentication Service itself: a route target, never a Synapse process.</summary>
    Mas,
}
