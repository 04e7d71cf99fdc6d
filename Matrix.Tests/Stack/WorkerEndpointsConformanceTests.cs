using System.Text.RegularExpressions;
using Matrix.Stack.Catalog;
using Matrix.Stack.Layout;
using Matrix.Stack.Presets;
using Matrix.Stack.Routing;
using Matrix.Tests.Infrastructure;

namespace Matrix.Tests.Stack;

/// <summary>
/// Every endpoint pattern of Synapse's worker documentation (../shared/conformance/synapse-worker-endpoints.tsv: regex,
/// worker application, stream or topic, condition) routes, in the <c>full</c> layout, to a pool whose Synapse process
/// may serve it: a stream's endpoints to that stream's writer, media endpoints to the media repository, the rest to a
/// generic worker with the right listener. Main is never "allowed" here: a documented endpoint that falls through to
/// main is a gap in the catalog. The requests are concrete ones (below); every pattern of the file must match at least
/// one of them, so a pattern added to the file without a request here fails the test instead of going unchecked.
/// </summary>
public class WorkerEndpointsConformanceTests
{
    private const string GenericWorker = "synapse.app.generic_worker";

    // Realistic request paths (and, for /sync, a query): at least one per documented pattern.
    private static readonly string[] Requests =
    [
        "/_matrix/client/versions", "/_matrix/client/v3/sync?since=s72594_4483_1934", "/_matrix/client/v3/sync",
        "/_matrix/client/v3/events?from=s1", "/_matrix/client/v3/initialSync", "/_matrix/client/v3/rooms/!r:example.org/initialSync",
        "/_matrix/federation/v1/version", "/_matrix/federation/v1/event/$ev", "/_matrix/federation/v1/state/!r:example.org",
        "/_matrix/federation/v1/state_ids/!r:example.org", "/_matrix/federation/v1/backfill/!r:example.org",
        "/_matrix/federation/v1/get_missing_events/!r:example.org", "/_matrix/federation/v1/publicRooms",
        "/_matrix/federation/v1/query/profile", "/_matrix/federation/v1/make_join/!r:example.org/@u:example.org",
        "/_matrix/federation/v1/make_leave/!r:example.org/@u:example.org", "/_matrix/federation/v2/send_join/!r:example.org/$ev",
        "/_matrix/federation/v2/send_leave/!r:example.org/$ev", "/_matrix/federation/v1/make_knock/!r:example.org/@u:example.org",
        "/_matrix/federation/v1/send_knock/!r:example.org/$ev", "/_matrix/federation/v2/invite/!r:example.org/$ev",
        "/_matrix/federation/v1/event_auth/!r:example.org/$ev", "/_matrix/federation/v1/timestamp_to_event/!r:example.org",
        "/_matrix/federation/v1/exchange_third_party_invite/!r:example.org", "/_matrix/federation/v1/user/devices/@u:example.org",
        "/_matrix/key/v2/query", "/_matrix/federation/v1/hierarchy/!r:example.org", "/_matrix/federation/v1/send/1690000000",
        "/_matrix/client/v3/createRoom", "/_matrix/client/v3/publicRooms", "/_matrix/client/v3/rooms/!r:example.org/joined_members",
        "/_matrix/client/v3/rooms/!r:example.org/context/$ev", "/_matrix/client/v3/rooms/!r:example.org/members",
        "/_matrix/client/v3/rooms/!r:example.org/state", "/_matrix/client/v3/rooms/!r:example.org/state/m.room.name/",
        "/_matrix/client/v1/rooms/!r:example.org/hierarchy", "/_matrix/client/v1/rooms/!r:example.org/relations/$ev",
        "/_matrix/client/v1/rooms/!r:example.org/threads", "/_matrix/client/unstable/im.nheko.summary/summary/!r:example.org",
        "/_matrix/client/v1/room_summary/!r:example.org", "/_matrix/client/v3/account/3pid", "/_matrix/client/v3/account/whoami",
        "/_matrix/client/v3/account/deactivate", "/_matrix/client/v3/devices", "/_matrix/client/v3/devices/ABCDEFGH",
        "/_matrix/client/v3/keys/query", "/_matrix/client/v3/keys/changes", "/_matrix/client/v3/keys/claim",
        "/_matrix/client/v3/room_keys/version", "/_matrix/client/v3/keys/upload", "/_matrix/client/v3/keys/upload/ABCDEFGH",
        "/_matrix/client/v3/keys/device_signing/upload", "/_matrix/client/v3/keys/signatures/upload",
        "/_matrix/client/v3/delete_devices", "/_matrix/client/v3/voip/turnServer", "/_matrix/client/v3/login",
        "/_matrix/client/v3/register", "/_matrix/client/v3/register/available", "/_matrix/client/v1/register/m.login.registration_token/validity",
        "/_matrix/client/v3/password_policy", "/_matrix/client/v3/rooms/!r:example.org/event/$ev", "/_matrix/client/v3/joined_rooms",
        "/_matrix/client/v1/rooms/!r:example.org/timestamp_to_event", "/_matrix/client/v3/rooms/!r:example.org/aliases",
        "/_matrix/client/v3/search", "/_matrix/client/v3/user/@u:example.org/filter", "/_matrix/client/v3/user/@u:example.org/filter/42",
        "/_matrix/client/v3/directory/room/#a:example.org", "/_matrix/client/v3/capabilities", "/_matrix/client/v3/notifications",
        "/_matrix/client/unstable/org.matrix.msc4140/delayed_events", "/_matrix/client/unstable/org.matrix.msc4140/delayed_events/abc/restart",
        "/_synapse/admin/v1/rooms/!r:example.org", "/_synapse/admin/v2/users/@u:example.org",
        "/_matrix/client/v3/rooms/!r:example.org/messages", "/_matrix/client/v3/login/sso/redirect", "/_matrix/client/v3/login/sso/redirect/oidc-x",
        "/_synapse/client/pick_idp", "/_synapse/client/pick_username/account", "/_synapse/client/new_user_consent",
        "/_synapse/client/sso_register", "/_synapse/client/oidc/callback", "/_synapse/client/saml2/authn_response",
        "/_matrix/client/v3/login/cas/ticket", "/_matrix/client/v3/rooms/!r:example.org/redact/$ev/txn1",
        "/_matrix/client/v3/rooms/!r:example.org/send/m.room.message/txn1", "/_matrix/client/v3/rooms/!r:example.org/state/m.room.topic/",
        "/_matrix/client/v3/rooms/!r:example.org/join", "/_matrix/client/v3/rooms/!r:example.org/invite",
        "/_matrix/client/v3/rooms/!r:example.org/kick", "/_matrix/client/v3/join/#a:example.org", "/_matrix/client/v3/knock/#a:example.org",
        "/_matrix/client/v3/profile/@u:example.org/displayname", "/_matrix/client/v3/rooms/!r:example.org/typing/@u:example.org",
        "/_matrix/client/v3/sendToDevice/m.room.encrypted/txn1", "/_matrix/client/v3/user/@u:example.org/rooms/!r:example.org/tags",
        "/_matrix/client/v3/user/@u:example.org/rooms/!r:example.org/tags/m.favourite", "/_matrix/client/v3/user/@u:example.org/account_data/m.direct",
        "/_matrix/client/v3/user/@u:example.org/rooms/!r:example.org/account_data/m.fully_read",
        "/_matrix/client/v3/rooms/!r:example.org/receipt/m.read/$ev", "/_matrix/client/v3/rooms/!r:example.org/read_markers",
        "/_matrix/client/v3/presence/@u:example.org/status", "/_matrix/client/v3/pushrules/global/override/rule1",
        "/_matrix/client/v3/pushrules/", "/_synapse/admin/v1/quarantine_media/!r:example.org",
        "/_matrix/client/v3/user_directory/search", "/_synapse/admin/v1/purge_media_cache",
        "/_synapse/admin/v1/room/!r:example.org/media", "/_synapse/admin/v1/user/@u:example.org/media",
        "/_synapse/admin/v1/media/quarantine/example.org/abcdef", "/_synapse/admin/v1/media/unquarantine/example.org/abcdef",
        "/_synapse/admin/v1/users/@u:example.org/media",
    ];

    private static readonly string[] ClientVersions = ["v3", "r0", "unstable", "api/v1"];

    private sealed record Row(Regex Pattern, string Source, string App, string Subsection, string Condition, int Line)
    {
        public bool Admits(string method) => Condition != "GET" || method is "GET" or "HEAD";
    }

    [Fact]
    public void EveryDocumentedPatternHasARequestHere()
    {
        var rows = ReadRows();
        var uncovered = rows.Where(row => !Requests.Any(r => row.Pattern.IsMatch(PathOf(r)))).Select(row => $"line {row.Line}: {row.Source}").ToList();
        Assert.True(rows.Count >= 100, $"only {rows.Count} rows read");
        Assert.True(uncovered.Count == 0, "patterns without a request in this test:\n" + string.Join("\n", uncovered));
    }

    [Fact]
    public void EveryDocumentedEndpointRoutesToAPoolAllowedToServeItInTheFullLayout()
    {
        var rows = ReadRows();
        var layout = SynapseLayout.Create(StackPresets.Create(StackPresets.Full));
        var matcher = RouteMatcher.For(layout);
        var wrong = new List<string>();
        var checkedCount = 0;
        foreach (var request in Requests.SelectMany(VersionVariants).Distinct())
        {
            var path = PathOf(request);
            foreach (var method in new[] { "GET", "POST", "PUT" })
            {
                var matching = rows.Where(r => r.Admits(method) && r.Pattern.IsMatch(path)).ToList();
                if (matching.Count == 0)
                {
                    continue;
                }
                var allowed = matching.SelectMany(r => AllowedPools(r, path)).ToHashSet();
                var decision = matcher.Match(method, request);
                checkedCount++;
                if (!allowed.Contains(decision.Pool))
                {
                    wrong.Add($"{method} {request} -> {decision.PoolName}; allowed: {string.Join(", ", allowed.Select(p => p.Name()).Order())} (lines {string.Join(", ", matching.Select(r => r.Line))})");
                }
            }
        }
        Assert.True(checkedCount > 200, $"only {checkedCount} requests checked");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    // Which catalog pools may serve a request documented by this row.
    private static IEnumerable<PoolType> AllowedPools(Row row, string path)
    {
        if (row.Subsection.StartsWith("stream:", StringComparison.Ordinal))
        {
            // Only the writer: Synapse has no forwarding for stream writes.
            var stream = row.Subsection["stream:".Length..];
            return WorkerCatalog.All.Where(p => p.Stream?.Name == stream).Select(p => p.Type);
        }
        if (row.Subsection == "Updating the User Directory" || row.App == "synapse.app.user_dir")
        {
            return [PoolType.UserDir];
        }
        var resource = path.StartsWith("/_matrix/federation/", StringComparison.Ordinal) || path.StartsWith("/_matrix/key/", StringComparison.Ordinal)
            ? ListenerResource.Federation
            : ListenerResource.Client;
        return WorkerCatalog.All
            .Where(p => p.Type != PoolType.Main && p.WorkerApp == row.App)
            .Where(p => row.App != GenericWorker || p.PublicResources.Contains(resource))
            .Select(p => p.Type);
    }

    private static IEnumerable<string> VersionVariants(string request)
    {
        const string V3 = "/_matrix/client/v3/";
        if (!request.StartsWith(V3, StringComparison.Ordinal))
        {
            return [request];
        }
        return ClientVersions.Select(v => $"/_matrix/client/{v}/{request[V3.Length..]}");
    }

    private static string PathOf(string request) => request.Split('?')[0];

    private static List<Row> ReadRows()
    {
        var path = RepositoryPaths.ConformanceFile("synapse-worker-endpoints.tsv");
        return File.ReadAllLines(path)
            .Select((line, index) => (line, index))
            .Where(x => x.line.Length > 0 && !x.line.StartsWith('#'))
            .Select(x =>
            {
                var columns = x.line.Split('\t');
                Assert.True(columns.Length == 4, $"{path}:{x.index + 1} does not have 4 tab-separated columns");
                return new Row(new Regex(columns[0], RegexOptions.CultureInvariant), columns[0], columns[1], columns[2], columns[3], x.index + 1);
            })
            .ToList();
    }
}
