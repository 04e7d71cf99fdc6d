using System.Text;
using Matrix.Router.Configuration;
using Matrix.Tests.Router.Support;
using Microsoft.Extensions.Configuration;

namespace Matrix.Tests.Router;

/// <summary>
/// The router in front of MAS, end to end over HTTP. MAS is a stand-in here (a Kestrel server answering as the
/// <c>mas</c> pool): no MAS binary or image can be had on these machines, so what is tested for real is the router's
/// side (which requests reach MAS, unchanged, and which stay with Synapse), not MAS's answers.
/// </summary>
public sealed class MasForwardingTests : IAsyncLifetime
{
    private FakeSynapseLayout _layout = null!;
    private RouterUnderTest _router = null!;

    public async ValueTask InitializeAsync()
    {
        _layout = await FakeSynapseLayout.StartAsync(("main", 1), ("client-reader", 2), ("sso-login", 1), ("mas-helper", 1), ("mas", 1));
        _router = await RouterUnderTest.StartAsync(_layout.Instances, new Dictionary<string, string?> { ["Router:MasPathPrefix"] = "/auth/" });
    }

    public async ValueTask DisposeAsync()
    {
        await _router.DisposeAsync();
        await _layout.DisposeAsync();
    }

    [Theory]
    [InlineData("/_matrix/client/v3/login", "mas-1")]
    [InlineData("/_matrix/client/v3/login/sso/redirect?redirectUrl=https%3A%2F%2Fapp.example", "mas-1")]
    [InlineData("/_matrix/client/r0/logout/all", "mas-1")]
    [InlineData("/_matrix/client/v3/refresh", "mas-1")]
    [InlineData("/auth/.well-known/openid-configuration", "mas-1")]
    [InlineData("/auth/oauth2/token", "mas-1")]
    [InlineData("/_synapse/mas/provision_user", "mas-helper-1")]
    [InlineData("/_matrix/client/v3/account/whoami", "client-reader-")]
    [InlineData("/_matrix/client/versions", "client-reader-")]
    [InlineData("/authorize", "main")]
    public async Task RequestsReachTheirTarget(string target, string instance) =>
        Assert.StartsWith(instance, await _router.ServedByAsync(target, method: HttpMethod.Post));

    [Fact]
    public async Task MasReceivesTheLoginRequestUnchanged()
    {
        var mas = _layout["mas-1"];
        var body = """{"type":"m.login.password","identifier":{"type":"m.id.user","user":"alice"},"password":"correct horse"}""";
        using var response = await _router.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login?x=1", r =>
            r.Content = new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();

        Assert.True(mas.Received.TryDequeue(out var received));
        Assert.Equal("POST", received.Method);
        Assert.Equal("/_matrix/client/v3/login?x=1", received.RawTarget);
        Assert.Equal(body, Encoding.UTF8.GetString(received.Body));
    }

    [Fact]
    public async Task WhenMasIsDownItsRequestsAreNotSentToSynapse()
    {
        var mas = _layout["mas-1"];
        mas.Healthy = false;
        await _router.WaitForHealthAsync(mas, healthy: false);
        using var response = await _router.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.All(_layout.Instances.Where(i => i.Pool != "mas"), i => Assert.DoesNotContain(i.Received, r => r.RawTarget.EndsWith("/login", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("/", "not a path prefix")]
    [InlineData("auth/", "not a path prefix")]
    public void BadMasPathPrefixIsReportedByName(string prefix, string message)
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => RouterOptionsTests.Read(
            ("Router:Pools:main", "http://synapse-main:8008"), ("Router:Pools:mas", "http://mas:8080"), ("Router:MasPathPrefix", prefix)));
        Assert.Contains(error.Failures, failure => failure.Contains($"Router:MasPathPrefix: '{prefix}' is {message}", StringComparison.Ordinal));
    }

    [Fact]
    public void MasIsAPoolEntryLikeAnyOther()
    {
        var options = RouterOptionsTests.Read(
            ("Router:Pools:main:main", "http://localhost:8008"),
            ("Router:Pools:mas:mas", "http://localhost:8080"),
            // A service named mas is no longer read as MAS: only explicit entries make pools.
            ("services:mas:http:0", "http://localhost:9999"));
        Assert.Equal("http://localhost:8080/", Assert.Single(options.Pools[Matrix.Stack.Catalog.PoolType.Mas]).BaseUrl.AbsoluteUri);
    }
}
