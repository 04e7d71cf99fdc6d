using Matrix.Stack.Catalog;
using Matrix.Stack.Layout;
using Matrix.Stack.Presets;
using Matrix.Stack.Routing;

namespace Matrix.Tests.Stack.Mas;

/// <summary>Which pool serves MAS's endpoints, through the same matcher the router and <c>explain</c> use.</summary>
public class MasRoutingTests
{
    private static RouteMatcher With(string preset, params string[] settings) =>
        RouteMatcher.For(SynapseLayout.Create(RenderedMas.OptionsFor(preset, settings)));

    [Theory]
    [InlineData("POST", "/_matrix/client/v3/login")]
    [InlineData("GET", "/_matrix/client/r0/login")]
    [InlineData("POST", "/_matrix/client/api/v1/login")]
    [InlineData("GET", "/_matrix/client/v3/login/sso/redirect?redirectUrl=https%3A%2F%2Fapp")]
    [InlineData("GET", "/_matrix/client/v3/login/sso/redirect/oidc-google")]
    [InlineData("POST", "/_matrix/client/v3/logout")]
    [InlineData("POST", "/_matrix/client/v3/logout/all")]
    [InlineData("POST", "/_matrix/client/v3/refresh")]
    [InlineData("POST", "/_matrix/client/unstable/refresh")]
    public void CompatibilityEndpointsGoToMasInEveryLayout(string method, string target)
    {
        foreach (var preset in StackPresets.Names)
        {
            var decision = With(preset).Match(method, target);
            Assert.True(decision.Pool == PoolType.Mas, $"{preset}: {method} {target} went to {decision.PoolName}");
            Assert.Null(decision.Fallback);
        }
    }

    [Theory]
    [InlineData("/_matrix/client/v3/login", "client-reader")]
    [InlineData("/_matrix/client/v3/login/sso/redirect", "sso-login")]
    [InlineData("/_matrix/client/v3/logout", "main")]
    public void WithoutMasSynapseKeepsThem(string path, string pool) =>
        Assert.Equal(pool, RouteMatcher.For(SynapseLayout.Create(StackPresets.Create(StackPresets.Full))).Match("POST", path).PoolName);

    [Fact]
    public void OtherClientRequestsStayWithSynapse()
    {
        var matcher = With(StackPresets.Full);
        Assert.Equal(PoolType.Synchrotron, matcher.Match("GET", "/_matrix/client/v3/sync?since=s1").Pool);
        Assert.Equal(PoolType.ClientReader, matcher.Match("GET", "/_matrix/client/v3/account/whoami").Pool);
        Assert.Equal(PoolType.Main, matcher.Match("GET", "/_matrix/client/v1/auth_metadata").Pool);
        Assert.Equal(PoolType.Main, matcher.Match("GET", "/_matrix/client/v3/loginx").Pool);
    }

    [Fact]
    public void SynapseMasEndpointsGoToMasHelperWhenPresentElseMain()
    {
        var withHelper = With(StackPresets.Specialized, "workers.mas-helper=2").Match("POST", "/_synapse/mas/provision_user");
        Assert.Equal(PoolType.MasHelper, withHelper.Pool);
        Assert.Equal(PoolType.Main, withHelper.Fallback);
        Assert.Equal(PoolType.Main, With(StackPresets.Specialized).Match("POST", "/_synapse/mas/provision_user").Pool);
    }

    [Fact]
    public void MasPathsUnderTheHomeserversHostGoToMas()
    {
        var matcher = With(StackPresets.Monolith, "mas.publicBaseUrl=https://matrix.example.org/auth/");
        Assert.Equal(PoolType.Mas, matcher.Match("GET", "/auth/.well-known/openid-configuration").Pool);
        Assert.Equal(PoolType.Mas, matcher.Match("GET", "/auth/authorize?client_id=x").Pool);
        Assert.Equal(PoolType.Mas, matcher.Match("POST", "/auth/oauth2/token").Pool);
        Assert.Equal(PoolType.Mas, matcher.Match("GET", "/auth").Pool);
        Assert.Equal(PoolType.Main, matcher.Match("GET", "/authorize").Pool);
        // With a host of its own, MAS's paths reach it through the ingress, not by path on the homeserver's host.
        Assert.Equal(PoolType.Main, With(StackPresets.Monolith).Match("GET", "/authorize").Pool);
    }

    [Fact]
    public void ExplainShowsTheMasPool() =>
        Assert.Equal("{\"pool\":\"mas\",\"balance\":\"least-busy\",\"fallback\":null}",
            With(StackPresets.Large).Match("POST", "/_matrix/client/v3/login").ToExplainJson());
}
