using static Matrix.Stack.Catalog.PoolType;

namespace Matrix.Stack.Catalog;

/// <summary>
/// The worker catalog: for each pool type its Synapse app, listener resources, stream, instance rule, routes,
/// balancing and fallback. Facts from Synapse's worker documentation (docs/workers.md, release line v1.157 to 1.160).
/// This is the only place these facts live: configs, routes and validation all read them from here.
/// <para>
/// Stream writers: the routes of a pool with a <see cref="PoolDefinition.Stream"/> (other than GET-only reads) are the
/// stream's writes. Synapse has no forwarding for them: a process that is not the writer answers 500. So they go to the
/// writer pool when the layout has one and to main (the default writer) when it has none, never elsewhere, and they
/// have no fallback; <see cref="StreamWriterPool"/> is the rule, and both the router and <c>stream_writers</c> use it.
/// </para>
/// </summary>
public static class WorkerCatalog
{
    // Client API version segments, as Synapse's worker documentation lists them per endpoint.
    private const string AnyV = "{api/v1|r0|v3|unstable}";
    private const string R0V3U = "{r0|v3|unstable}";
    private const string R0V3 = "{r0|v3}";
    private const string SyncV = "{api/v1|r0|v3}";
    private const string Client = "/_matrix/client";
    private const string Federation = "/_matrix/federation";
    private const string Admin = "/_synapse/admin/v1";
    private const string SynapseClient = "/_synapse/client";

    private static readonly PoolType[] GenericFirst = [ClientReader];

    public static IReadOnlyList<PoolDefinition> All { get; } = Checked(Build());

    private static readonly Dictionary<PoolType, PoolDefinition> ByType = All.ToDictionary(d => d.Type);

    public static PoolDefinition Get(PoolType type) => ByType[type];

    /// <summary>
    /// The pool whose instances write <paramref name="stream"/> in a layout with <paramref name="presentPools"/>:
    /// the stream's writer pool when present, else main (Synapse's default writer for every stream).
    /// </summary>
    public static PoolType StreamWriterPool(SynapseStream stream, IEnumerable<PoolType> presentPools)
    {
        var writer = All.Single(p => p.Stream == stream).Type;
        return presentPools.Contains(writer) ? writer : PoolType.Main;
    }

    /// <summary>Whether <paramref name="rule"/> of <paramref name="owner"/> writes the owner's stream (only its writer or main may serve it).</summary>
    public static bool IsStreamWrite(PoolDefinition owner, RouteRule rule) => owner.Stream is not null && !rule.GetOnly;

    private static RouteRule R(string template, params PoolType[] whenAbsent) => new(template) { WhenAbsent = whenAbsent };

    private static RouteRule Get(string template, params PoolType[] whenAbsent) => new(template) { GetOnly = true, WhenAbsent = whenAbsent };

    // The catalog's own rules, checked once when it loads: a mistake here would route writes to a non-writer.
    private static PoolDefinition[] Checked(PoolDefinition[] pools)
    {
        foreach (var pool in pools)
        {
            foreach (var rule in pool.Routes.Where(rule => IsStreamWrite(pool, rule) && rule.WhenAbsent.Count > 0))
            {
                throw new InvalidOperationException($"worker catalog: {pool.Name} route {rule.Template} writes the {pool.Stream!.Name} stream, so it cannot go to {string.Join(", ", rule.WhenAbsent)} when the pool is absent (only main can)");
            }
        }
        foreach (var stream in pools.Where(p => p.Stream is not null).GroupBy(p => p.Stream!.Name).Where(g => g.Count() > 1))
        {
            throw new InvalidOperationException($"worker catalog: the {stream.Key} stream has several writer pools");
        }
        return pools;
    }

    private static PoolDefinition[] Build() =>
    [
        new()
        {
            Type = Main,
            Purpose = "The main Synapse process: everything no worker serves, and the writer of every stream no worker writes.",
            WorkerApp = "synapse.app.homeserver",
            PublicResources = [ListenerResource.Client, ListenerResource.Federation],
            AllowsMultipleInstances = false,
        },
        // Before every Synapse pool: with MAS on, its compatibility endpoints win over client-reader's and sso-login's.
        new()
        {
            Type = PoolType.Mas,
            Purpose = "Matrix Authentication Service (not Synapse): login, logout and token refresh of the client API, and its OAuth/OIDC pages when it shares the homeserver's host.",
            WorkerApp = "matrix-authentication-service",
            IsSynapseProcess = false,
            RequiresMas = true,
            // MAS's own routes are only taken when MAS is present (RouteMatcher); nothing else can answer them.
            Routes =
            [
                R($"{Client}/{AnyV}/login"),
                R($"{Client}/{AnyV}/login/sso/redirect"),
                R($"{Client}/{AnyV}/login/sso/redirect/**"),
                R($"{Client}/{AnyV}/login/cas/ticket"),
                R($"{Client}/{AnyV}/login/**"),
                R($"{Client}/{AnyV}/logout"),
                R($"{Client}/{AnyV}/logout/**"),
                R($"{Client}/{AnyV}/refresh"),
            ],
        },
        new()
        {
            Type = InitialSynchrotron,
            Purpose = "Initial syncs (no since token, full_state, initialSync): expensive, isolated from incremental syncs.",
            PublicResources = [ListenerResource.Client],
            Balance = BalancePolicy.AccessToken,
            Fallback = [Synchrotron, Main],
            Routes =
            [
                new($"{Client}/{R0V3}/sync") { Condition = RouteCondition.InitialSync, WhenAbsent = [Synchrotron, ClientReader] },
                new($"{Client}/{SyncV}/events") { Condition = RouteCondition.EventsWithoutFrom, WhenAbsent = [Synchrotron, ClientReader] },
                R($"{Client}/{SyncV}/initialSync", Synchrotron, ClientReader),
                R($"{Client}/{SyncV}/rooms/*/initialSync", Synchrotron, ClientReader),
            ],
        },
        new()
        {
            Type = Synchrotron,
            Purpose = "Incremental /sync long-polls, kept per user on one instance for its caches.",
            PublicResources = [ListenerResource.Client],
            Balance = BalancePolicy.AccessToken,
            Fallback = [Main],
            Routes =
            [
                R($"{Client}/{R0V3}/sync", GenericFirst),
                R($"{Client}/{SyncV}/events", GenericFirst),
            ],
        },
        new()
        {
            Type = SlidingSync,
            Purpose = "Simplified sliding sync (MSC4186) long-polls, kept per user on one instance like /sync.",
            PublicResources = [ListenerResource.Client],
            Balance = BalancePolicy.AccessToken,
            Fallback = [Synchrotron, Main],
            Routes = [R($"{Client}/unstable/org.matrix.simplified_msc3575/sync", Synchrotron, ClientReader)],
        },
        new()
        {
            Type = EventCreator,
            Purpose = "Creates events (send, state, redact, membership, profile), hashed by room.",
            PublicResources = [ListenerResource.Client],
            Balance = BalancePolicy.RoomId,
            Fallback = [Main],
            Routes =
            [
                R($"{Client}/{AnyV}/rooms/*/redact/**", GenericFirst),
                R($"{Client}/{AnyV}/rooms/*/send/**", GenericFirst),
                R($"{Client}/{AnyV}/rooms/*/state/**", GenericFirst),
                R($"{Client}/{AnyV}/rooms/*/{{join|invite|leave|ban|unban|kick}}", GenericFirst),
                R($"{Client}/{AnyV}/join/**", GenericFirst),
                R($"{Client}/{AnyV}/knock/**", GenericFirst),
                R($"{Client}/{AnyV}/profile/**", GenericFirst),
            ],
        },
        new()
        {
            Type = Typing,
            Purpose = "Writer of the typing stream.",
            PublicResources = [ListenerResource.Client],
            Stream = SynapseStream.Typing,
            AllowsMultipleInstances = false,
            Fallback = [Main],
            Routes = [R($"{Client}/{AnyV}/rooms/*/typing/**")],
        },
        new()
        {
            Type = ToDevice,
            Purpose = "Writer of the to_device stream.",
            PublicResources = [ListenerResource.Client],
            Stream = SynapseStream.ToDevice,
            AllowsMultipleInstances = false,
            Fallback = [Main],
            Routes = [R($"{Client}/{R0V3U}/sendToDevice/**")],
        },
        new()
        {
            Type = AccountData,
            Purpose = "Writer of the account_data stream (tags and account data).",
            PublicResources = [ListenerResource.Client],
            Stream = SynapseStream.AccountData,
            AllowsMultipleInstances = false,
            Fallback = [Main],
            Routes =
            [
                Get($"{Client}/{R0V3U}/user/*/rooms/*/tags", GenericFirst),
                Get($"{Client}/{R0V3U}/user/*/rooms/*/tags/**", GenericFirst),
                Get($"{Client}/{R0V3U}/user/*/account_data/**", GenericFirst),
                Get($"{Client}/{R0V3U}/user/*/rooms/*/account_data/**", GenericFirst),
                R($"{Client}/{R0V3U}/user/*/rooms/*/tags"),
                R($"{Client}/{R0V3U}/user/*/rooms/*/tags/**"),
                R($"{Client}/{R0V3U}/user/*/account_data/**"),
                R($"{Client}/{R0V3U}/user/*/rooms/*/account_data/**"),
            ],
        },
        new()
        {
            Type = Receipts,
            Purpose = "Writer of the receipts stream (read receipts and markers); Synapse allows several.",
            PublicResources = [ListenerResource.Client],
            Stream = SynapseStream.Receipts,
            Fallback = [Main],
            Routes =
            [
                R($"{Client}/{R0V3U}/rooms/*/receipt/**"),
                R($"{Client}/{R0V3U}/rooms/*/read_markers"),
            ],
        },
        new()
        {
            Type = Presence,
            Purpose = "Writer of the presence stream.",
            PublicResources = [ListenerResource.Client],
            Stream = SynapseStream.Presence,
            AllowsMultipleInstances = false,
            Fallback = [Main],
            Routes =
            [
                Get($"{Client}/{AnyV}/presence/**", GenericFirst),
                R($"{Client}/{AnyV}/presence/**"),
            ],
        },
        new()
        {
            Type = PushRules,
            Purpose = "Writer of the push_rules stream.",
            PublicResources = [ListenerResource.Client],
            Stream = SynapseStream.PushRules,
            AllowsMultipleInstances = false,
            Fallback = [Main],
            Routes =
            [
                Get($"{Client}/{AnyV}/pushrules/**", GenericFirst),
                R($"{Client}/{AnyV}/pushrules/**"),
            ],
        },
        new()
        {
            Type = DeviceLists,
            Purpose = "Writer of the device_lists stream (devices and key uploads); Synapse allows several.",
            PublicResources = [ListenerResource.Client],
            Stream = SynapseStream.DeviceLists,
            Fallback = [Main],
            Routes =
            [
                R($"{Client}/{R0V3}/delete_devices"),
                R($"{Client}/{AnyV}/devices"),
                R($"{Client}/{AnyV}/devices/**"),
                R($"{Client}/{R0V3U}/keys/upload"),
                R($"{Client}/{R0V3U}/keys/upload/**"),
                R($"{Client}/{AnyV}/keys/device_signing/upload"),
                R($"{Client}/{AnyV}/keys/signatures/upload"),
            ],
        },
        new()
        {
            Type = UserDir,
            Purpose = "Updates the user directory (update_user_directory_from_worker) and serves its search.",
            PublicResources = [ListenerResource.Client],
            AllowsMultipleInstances = false,
            Fallback = [ClientReader, Main],
            Routes = [R($"{Client}/{R0V3U}/user_directory/search", GenericFirst)],
        },
        new()
        {
            Type = SsoLogin,
            Purpose = "SSO and OIDC logins: Synapse needs every step of one login on a single process.",
            PublicResources = [ListenerResource.Client],
            AllowsMultipleInstances = false,
            Routes =
            [
                R($"{Client}/{AnyV}/login/sso/redirect"),
                R($"{Client}/{AnyV}/login/sso/redirect/**"),
                R($"{Client}/{AnyV}/login/cas/ticket"),
                R($"{SynapseClient}/pick_idp"),
                R($"{SynapseClient}/pick_username"),
                R($"{SynapseClient}/pick_username/**"),
                R($"{SynapseClient}/new_user_consent"),
                R($"{SynapseClient}/sso_register"),
                R($"{SynapseClient}/oidc/callback"),
                R($"{SynapseClient}/saml2/authn_response"),
            ],
        },
        new()
        {
            Type = ClientReader,
            Purpose = "Generic client API reads, login and registration, encryption queries, room pagination.",
            PublicResources = [ListenerResource.Client],
            Fallback = [Main],
            Routes =
            [
                R($"{Client}/versions"),
                R($"{Client}/{AnyV}/rooms/*/messages") with { Balance = BalancePolicy.RoomId },
                R($"{Client}/{AnyV}/createRoom"),
                R($"{Client}/{AnyV}/publicRooms"),
                R($"{Client}/{AnyV}/rooms/*/joined_members"),
                R($"{Client}/{AnyV}/rooms/*/context/**"),
                R($"{Client}/{AnyV}/rooms/*/members"),
                R($"{Client}/{AnyV}/rooms/*/state"),
                R($"{Client}/v1/rooms/*/hierarchy"),
                R($"{Client}/{{v1|unstable}}/rooms/*/relations/**"),
                R($"{Client}/v1/rooms/*/threads"),
                R($"{Client}/unstable/im.nheko.summary/summary/**"),
                R($"{Client}/{R0V3U}/account/3pid"),
                R($"{Client}/{R0V3U}/account/whoami"),
                R($"{Client}/{R0V3U}/account/deactivate"),
                R($"{Client}/{AnyV}/voip/turnServer"),
                R($"{Client}/{AnyV}/rooms/*/event/**"),
                R($"{Client}/{AnyV}/joined_rooms"),
                R($"{Client}/v1/rooms/*/timestamp_to_event"),
                R($"{Client}/{{api/v1|r0|v3}}/rooms/*/aliases"),
                R($"{Client}/{AnyV}/search"),
                R($"{Client}/{R0V3U}/user/*/filter"),
                R($"{Client}/{R0V3U}/user/*/filter/**"),
                R($"{Client}/{AnyV}/directory/room/**"),
                R($"{Client}/{R0V3U}/capabilities"),
                R($"{Client}/{R0V3U}/notifications"),
                R($"{Admin}/rooms/*"),
                R($"{Client}/{R0V3U}/keys/query"),
                R($"{Client}/{R0V3U}/keys/changes"),
                R($"{Client}/{R0V3U}/keys/claim"),
                R($"{Client}/{R0V3U}/room_keys/**"),
                R($"{Client}/{AnyV}/login"),
                R($"{Client}/{R0V3U}/register"),
                R($"{Client}/{R0V3U}/register/available"),
                R($"{Client}/v1/register/m.login.registration_token/validity"),
                R($"{Client}/{R0V3U}/password_policy"),
                R($"{Client}/unstable/org.matrix.msc4140/delayed_events"),
                R($"{Client}/unstable/org.matrix.msc4140/delayed_events/*/restart"),
                R($"{Client}/v1/room_summary/**"),
                Get("/_synapse/admin/v2/users/*"),
            ],
        },
        new()
        {
            Type = FederationInbound,
            Purpose = "Inbound federation transactions, kept per remote server on one instance.",
            PublicResources = [ListenerResource.Federation],
            Balance = BalancePolicy.FederationOrigin,
            Fallback = [Main],
            Routes = [R($"{Federation}/v1/send/**", FederationReader)],
        },
        new()
        {
            Type = FederationReader,
            Purpose = "Federation reads, joins, invites and key queries.",
            PublicResources = [ListenerResource.Federation],
            Balance = BalancePolicy.Uri,
            Fallback = [Main],
            Routes =
            [
                R($"{Federation}/v1/version"),
                R($"{Federation}/v1/event/**"),
                R($"{Federation}/v1/state/**"),
                R($"{Federation}/v1/state_ids/**"),
                R($"{Federation}/v1/backfill/**"),
                R($"{Federation}/v1/get_missing_events/**"),
                R($"{Federation}/v1/publicRooms"),
                R($"{Federation}/v1/publicRooms/**"),
                R($"{Federation}/v1/query/**"),
                R($"{Federation}/v1/make_join/**"),
                R($"{Federation}/v1/make_leave/**"),
                R($"{Federation}/{{v1|v2}}/send_join/**"),
                R($"{Federation}/{{v1|v2}}/send_leave/**"),
                R($"{Federation}/v1/make_knock/**"),
                R($"{Federation}/v1/send_knock/**"),
                R($"{Federation}/{{v1|v2}}/invite/**"),
                R($"{Federation}/v1/event_auth/**"),
                R($"{Federation}/v1/timestamp_to_event/**"),
                R($"{Federation}/v1/exchange_third_party_invite/**"),
                R($"{Federation}/v1/user/devices/**"),
                R($"{Federation}/v1/hierarchy/**"),
                R("/_matrix/key/v2/query"),
                R("/_matrix/key/v2/query/**"),
            ],
        },
        new()
        {
            Type = MediaRepository,
            Purpose = "The media repository: uploads, downloads, thumbnails, media admin (and quarantine, whose stream it writes); main stops serving media once it exists.",
            WorkerApp = "synapse.app.media_repository",
            PublicResources = [ListenerResource.Media],
            // With the media repository off on main, only these workers can quarantine: Synapse asserts
            // _can_write_quarantined_media_changes, and the stream's default writer is main.
            Stream = SynapseStream.QuarantinedMediaChanges,
            Routes =
            [
                R("/_matrix/media/**"),
                R($"{Client}/v1/media/**"),
                R($"{Federation}/v1/media/**"),
                R("/_synapse/media/**"),
                R($"{Admin}/purge_media_cache"),
                R($"{Admin}/room/*/media"),
                R($"{Admin}/room/*/media/**"),
                R($"{Admin}/user/*/media"),
                R($"{Admin}/user/*/media/**"),
                R($"{Admin}/media/**"),
                R($"{Admin}/quarantine_media/**"),
                R($"{Admin}/users/*/media"),
            ],
        },
        new()
        {
            Type = MasHelper,
            Purpose = "Serves MAS's calls to Synapse (/_synapse/mas/: user provisioning, devices, session checks), off main's back.",
            PublicResources = [ListenerResource.Client],
            RequiresMas = true,
            Fallback = [Main],
            Routes = [R("/_synapse/mas/**")],
        },
        new()
        {
            Type = EventPersister,
            Purpose = "Writer of the events stream: persists events, sharded by room across instances.",
            Stream = SynapseStream.Events,
        },
        new()
        {
            Type = FederationSender,
            Purpose = "Sends outbound federation traffic (federation_sender_instances).",
            InstancesListedBySynapse = true,
        },
        new()
        {
            Type = Pusher,
            Purpose = "Sends push notifications (pusher_instances).",
            InstancesListedBySynapse = true,
        },
        new()
        {
            Type = Appservice,
            Purpose = "Notifies application services (notify_appservices_from_worker).",
            AllowsMultipleInstances = false,
        },
        new()
        {
            Type = Background,
            Purpose = "Runs background tasks (run_background_tasks_on).",
            AllowsMultipleInstances = false,
        },
    ];
}
