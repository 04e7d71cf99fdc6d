using Matrix.Stack.Catalog;
using Matrix.Stack.Layout;
using Matrix.Stack.Presets;
using Matrix.Stack.Routing;
using static Matrix.Stack.Catalog.PoolType;

namespace Matrix.Tests.Stack;

public class RouteMatcherTests
{
    private static RouteMatcher With(params PoolType[] pools) => RouteMatcher.For(pools);

    private static RouteMatcher Preset(string name) => RouteMatcher.For(SynapseLayout.Create(StackPresets.Create(name)));

    [Fact]
    public void MonolithSendsEverythingToMain()
    {
        var matcher = Preset("monolith");
        foreach (var (method, path) in new[] { ("GET", "/_matrix/client/v3/sync"), ("PUT", "/_matrix/client/v3/rooms/!a:b/send/m.room.message/1"), ("GET", "/_matrix/media/v3/download/a/b"), ("PUT", "/_matrix/federation/v1/send/1") })
        {
            var decision = matcher.Match(method, path);
            Assert.Equal(Main, decision.Pool);
            Assert.Null(decision.Fallback);
        }
    }

    [Theory]
    [InlineData("/_matrix/client/v3/sync", "initial-synchrotron")]
    [InlineData("/_matrix/client/v3/sync?since=", "initial-synchrotron")]
    [InlineData("/_matrix/client/v3/sync?timeout=0&since=s1", "synchrotron")]
    [InlineData("/_matrix/client/v3/sync?since=s1&full_state=false", "synchrotron")]
    [InlineData("/_matrix/client/v3/sync?full_state=true&since=s1", "initial-synchrotron")]
    [InlineData("/_matrix/client/r0/events", "initial-synchrotron")]
    [InlineData("/_matrix/client/r0/events?from=s1", "synchrotron")]
    [InlineData("/_matrix/client/api/v1/initialSync", "initial-synchrotron")]
    [InlineData("/_matrix/client/unstable/sync", "main")]
    [InlineData("/_matrix/client/v3/sync/extra", "main")]
    public void SyncIsSplitByItsQuery(string target, string pool) => Assert.Equal(pool, Preset("full").Match("GET", target).PoolName);

    [Fact]
    public void WithoutInitialSynchrotronsInitialSyncsGoToSynchrotrons()
    {
        var decision = With(Synchrotron, ClientReader).Match("GET", "/_matrix/client/v3/sync");
        Assert.Equal(Synchrotron, decision.Pool);
        Assert.Equal(Main, decision.Fallback);
        Assert.Equal(BalancePolicy.AccessToken, decision.Balance);
    }

    [Fact]
    public void InitialSynchrotronFallsBackToSynchrotronThenMain()
    {
        var decision = With(Synchrotron, InitialSynchrotron).Match("GET", "/_matrix/client/v3/sync");
        Assert.Equal(InitialSynchrotron, decision.Pool);
        Assert.Equal([Synchrotron, Main], decision.Fallbacks);
    }

    [Theory]
    [InlineData("GET", "client-reader")]
    [InlineData("HEAD", "client-reader")]
    [InlineData("PUT", "main")]
    [InlineData("DELETE", "main")]
    public void GetOnlyRulesApplyOnlyToReadsWhenTheWriterIsAbsent(string method, string pool) =>
        Assert.Equal(pool, With(ClientReader).Match(method, "/_matrix/client/v3/pushrules/global/override/x").PoolName);

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    public void StreamEndpointsGoToTheirWriterWhenPresent(string method) =>
        Assert.Equal(PushRules, With(ClientReader, PushRules).Match(method, "/_matrix/client/v3/pushrules/global/override/x").Pool);

    [Fact]
    public void AbsentPoolsGoWhereSynapseAllows()
    {
        var matcher = With(ClientReader);
        Assert.Equal(ClientReader, matcher.Match("PUT", "/_matrix/client/v3/rooms/!r:x/send/m.room.message/t").Pool);
        // A stream write (device_lists) without its writer goes to main, the default writer, never to a client-reader.
        Assert.Equal(Main, matcher.Match("POST", "/_matrix/client/v3/keys/upload").Pool);
        Assert.Equal(Main, matcher.Match("PUT", "/_matrix/client/v3/rooms/!r:x/typing/@a:x").Pool);
        Assert.Equal(Main, matcher.Match("GET", "/_matrix/media/v3/download/x/y").Pool);
        Assert.Equal(Main, matcher.Match("GET", "/_matrix/client/v3/login/sso/redirect").Pool);
        Assert.Equal(Main, matcher.Match("PUT", "/_matrix/federation/v1/send/1").Pool);
        Assert.Equal(FederationReader, With(FederationReader).Match("PUT", "/_matrix/federation/v1/send/1").Pool);
    }

    [Fact]
    public void MediaAndSsoNeverFallBack()
    {
        var matcher = Preset("full");
        Assert.Null(matcher.Match("GET", "/_matrix/media/v3/download/x/y").Fallback);
        Assert.Null(matcher.Match("GET", "/_synapse/client/oidc/callback").Fallback);
        Assert.Equal(Main, matcher.Match("GET", "/_matrix/client/v3/joined_rooms").Fallback);
    }

    [Theory]
    [InlineData("PUT", "/_matrix/client/v3/rooms/!r:x/send/m.room.message/t", "room-id")]
    [InlineData("GET", "/_matrix/client/v3/rooms/!r:x/messages", "room-id")]
    [InlineData("GET", "/_matrix/client/v3/joined_rooms", "least-busy")]
    [InlineData("PUT", "/_matrix/federation/v1/send/1", "federation-origin")]
    [InlineData("GET", "/_matrix/federation/v1/event/$e", "uri")]
    [InlineData("GET", "/_matrix/client/v3/sync?since=1", "access-token")]
    public void BalancePolicyComesFromTheCatalog(string method, string target, string balance) =>
        Assert.Equal(balance, Preset("full").Match(method, target).Balance.Name());

    [Theory]
    [InlineData("")]
    [InlineData("relative/path")]
    [InlineData("/")]
    [InlineData("//")]
    [InlineData("/_matrix")]
    [InlineData("/_matrix/client")]
    [InlineData("/_matrix/client/v3")]
    [InlineData("/_matrix/client/v3/")]
    [InlineData("/_matrix/client/v3/rooms")]
    [InlineData("/_matrix/client/v3/rooms/")]
    [InlineData("/_matrix/client/v3/rooms//send")]
    [InlineData("/.well-known/matrix/server")]
    [InlineData("/_matrix/client/V3/sync")]
    public void OddPathsGoToMain(string path) => Assert.Equal(Main, Preset("full").Match("GET", path).Pool);

    [Fact]
    public void TheExplainJsonHasPoolBalanceAndFallback()
    {
        Assert.Equal("{\"pool\":\"synchrotron\",\"balance\":\"access-token\",\"fallback\":\"main\"}", Preset("full").Match("GET", "/_matrix/client/v3/sync?since=x").ToExplainJson());
        Assert.Equal("{\"pool\":\"media-repository\",\"balance\":\"least-busy\",\"fallback\":null}", Preset("full").Match("GET", "/_matrix/media/v3/config").ToExplainJson());
    }

    [Fact]
    public void EveryCatalogRouteReachesItsOwnPoolInTheFullLayout()
    {
        var matcher = Preset("full");
        // MAS's pools exist only with mas.enabled: MasRoutingTests covers them.
        foreach (var pool in WorkerCatalog.All.Where(p => !p.RequiresMas))
        {
            foreach (var rule in pool.Routes)
            {
                // Turn the template into one concrete request: first alternative, '*' and '**' filled in.
                var path = System.Text.RegularExpressions.Regex.Replace(rule.Template, "\\{([^|}]*)[^}]*\\}", "$1").Replace("**", "x").Replace("*", "!seg:x");
                // Unconditional routes get tokens that make a sync or event stream incremental.
                var query = rule.Condition == RouteCondition.None ? "?since=s1&from=s1" : "";
                var decision = matcher.Match(rule.GetOnly ? "GET" : "POST", path + query);
                Assert.True(pool.Type == decision.Pool, $"{rule.Template} ({path}) went to {decision.PoolName}, not {pool.Name}");
            }
        }
    }
}
