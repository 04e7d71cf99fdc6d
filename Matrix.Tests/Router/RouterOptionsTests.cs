using System.Net;
using Matrix.Router.Configuration;
using Matrix.Stack.Catalog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Matrix.Tests.Router;

/// <summary>Reading and validating the router's configuration: every problem reported at once, each naming its setting.</summary>
public class RouterOptionsTests
{
    /// <summary>The options as the router's host resolves them: registered by <c>AddRouterOptions</c>, validated on first use.</summary>
    internal static RouterOptions Read(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddRouterOptions().BuildServiceProvider();
        return provider.GetRequiredService<RouterOptions>();
    }

    private static IEnumerable<string> Problems(params (string Key, string Value)[] settings) =>
        Assert.Throws<OptionsValidationException>(() => Read(settings)).Failures;

    [Fact]
    public void PoolsComeFromNamedOrIndexedEntriesOnlyNeverFromServiceNames()
    {
        var options = Read(
            ("Router:Pools:main:main", "http://synapse-main:8008"),
            ("Router:Pools:synchrotron:0", "http://10.0.0.5:8083"),
            ("Router:Pools:synchrotron:synchrotron_3", "http://10.0.0.6:8083/"),
            ("Router:Pools:media-repository", "http://synapse-media-repository-1:8085"),
            ("Router:Pools:mas:mas", "http://mas:8080"),
            // Aspire service-discovery variables are not the router's: a resource name says nothing about its pool.
            ("services:synapse-initial-synchrotron:http:0", "http://localhost:51004"),
            ("services:synapse-nonsense-1:http:0", "http://localhost:51005"));

        Assert.Equal([PoolType.Main, PoolType.Synchrotron, PoolType.MediaRepository, PoolType.Mas], options.Pools.Keys.Order());
        Assert.Equal(["http://10.0.0.5:8083/", "http://10.0.0.6:8083/"], options.Pools[PoolType.Synchrotron].Select(d => d.BaseUrl.AbsoluteUri));
        Assert.Equal("Router:Pools:synchrotron:synchrotron_3", options.Pools[PoolType.Synchrotron][1].Setting);
        Assert.Single(options.Pools[PoolType.MediaRepository]);
    }

    [Fact]
    public void DefaultsAreTheDocumentedOnes()
    {
        var options = Read(("Router:Pools:main:0", "http://synapse-main:8008"));
        Assert.Equal(TimeSpan.FromSeconds(5), options.Health.Interval);
        Assert.Equal("/health", options.Health.Path);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Dns.RefreshInterval);
        Assert.Null(options.Dns.NameServer);
        Assert.Equal(13_107_200, options.Limits.MaxRequestBodySize);
        Assert.Equal(4, options.Limits.InitialSyncConcurrency);
        Assert.True(options.TrustedProxies.IsEmpty);
        // Loopback only: behind an ingress every client looks private, so private ranges are never a default.
        Assert.False(options.AdminAllowList.Contains(IPAddress.Parse("192.168.1.10")));
        Assert.False(options.AdminAllowList.Contains(IPAddress.Parse("10.0.0.1")));
        Assert.True(options.AdminAllowList.Contains(IPAddress.Parse("127.0.0.1")));
        Assert.True(options.AdminAllowList.Contains(IPAddress.Parse("::1")));
        Assert.True(options.AdminAllowList.Contains(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.False(options.AdminAllowList.Contains(IPAddress.Parse("203.0.113.1")));
    }

    [Fact]
    public void ValuesInEveryDocumentedFormAreAccepted()
    {
        var options = Read(
            ("Router:Pools:main:0", "http://synapse-main:8008"),
            ("Router:Health:Interval", "00:00:10"),
            ("Router:Health:Timeout", "1.5"),
            ("Router:Limits:MaxUploadSize", "1G"),
            ("Router:Limits:MaxRequestBodySize", "524288"),
            ("Router:Dns:RefreshInterval", "0"),
            ("Router:TrustedProxies:0", "10.0.0.0/8"),
            ("Router:TrustedProxies:1", "fd00::/8"),
            ("Router:AdminAllowList:0", "none"));
        Assert.Equal(TimeSpan.FromSeconds(10), options.Health.Interval);
        Assert.Equal(TimeSpan.FromSeconds(1.5), options.Health.Timeout);
        Assert.Equal(1024L * 1024 * 1024, options.Limits.MaxUploadSize);
        Assert.Equal(524288, options.Limits.MaxRequestBodySize);
        Assert.Equal(TimeSpan.Zero, options.Dns.RefreshInterval);
        Assert.True(options.TrustedProxies.Contains(IPAddress.Parse("10.9.8.7")));
        Assert.True(options.TrustedProxies.Contains(IPAddress.Parse("fd12::1")));
        Assert.True(options.AdminAllowList.IsEmpty);
    }

    [Fact]
    public void EveryBadSettingIsNamedAtOnce()
    {
        var problems = Problems(
            ("Router:Pools:synchrotorn:0", "http://10.0.0.5:8083"),
            ("Router:Pools:synchrotron:0", "10.0.0.5:8083"),
            ("Router:Pools:synchrotron:1", "http://10.0.0.6:8083/_matrix"),
            ("Router:Pools:event-persister:0", "http://10.0.0.7:8090"),
            ("Router:Pools:typing:0", "http://10.0.0.8:8091"),
            ("Router:Pools:typing:1", "http://10.0.0.9:8091"),
            ("Router:Health:Interval", "soon"),
            ("Router:Health:Path", "health"),
            ("Router:Limits:MaxUploadSize", "-5"),
            ("Router:Limits:InitialSyncConcurrency", "0"),
            ("Router:TrustedProxies:0", "10.0.0.0/33"),
            ("Router:AdminAllowList:0", "none"),
            ("Router:AdminAllowList:1", "10.0.0.0/8"));

        string[] expected =
        [
            "Router:Pools:synchrotorn", "Router:Pools:synchrotron:0", "Router:Pools:synchrotron:1", "Router:Pools:event-persister",
            "Router:Pools:typing", "Router:Pools:main", "Router:Health:Interval", "Router:Health:Path", "Router:Limits:MaxUploadSize",
            "Router:Limits:InitialSyncConcurrency", "Router:TrustedProxies:0", "Router:AdminAllowList",
        ];
        foreach (var setting in expected)
        {
            Assert.True(problems.Any(p => p.StartsWith(setting + ":", StringComparison.Ordinal)), $"{setting} not named in:\n{string.Join("\n", problems)}");
        }
        Assert.Equal(expected.Length, problems.Count());
    }

    [Fact]
    public void AnUnknownRouterKeyIsAProblemNamingIt()
    {
        var problems = Problems(("Router:Pools:main:0", "http://synapse-main:8008"), ("Router:Limits:MaxConection", "10"), ("Router:Helth:Interval", "5"));
        Assert.Contains(problems, p => p.StartsWith("Router:Limits:MaxConection: unknown setting", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Router:Helth:Interval: unknown setting", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnknownTransportIsAProblemNamingTheSettingAndTheChoices()
    {
        var problems = Problems(("Router:Pools:main:0", "http://synapse-main:8008"), ("Router:Transport", "http2"));
        var problem = Assert.Single(problems, p => p.StartsWith("Router:Transport", StringComparison.Ordinal));
        Assert.Contains("Http1", problem);
        Assert.Contains("SocketsHttpHandler", problem);
    }

    [Fact]
    public void EveryDocumentedSettingIsKnownAndReadable()
    {
        var settings = RouterSettings.All
            .Where(s => !s.Key.Contains('<') && s.Default != "-")
            .Select(s => (s.Key, s.Default.Replace(", ", ",").Replace("none", "none")))
            .Append(("Router:Pools:main:0", "http://synapse-main:8008"))
            .ToArray();
        var options = Read(settings);
        Assert.Equal(40_000, options.Limits.MaxConnections);
        Assert.Equal(15 * 1024, options.Limits.MaxRequestHeadSize);
        Assert.Equal(5, options.PassiveHealth.ConsecutiveFailures);
        Assert.Contains("Router:Limits:MaxConnections", RouterSettings.Help());
    }

    [Theory]
    [InlineData("30s")]
    [InlineData("00:00:30")]
    [InlineData("30")]
    [InlineData("0.5m")]
    public void DurationsAreReadInTheFormatEveryExecutableShares(string text)
    {
        var options = Read(("Router:Pools:main:0", "http://synapse-main:8008"), ("Router:PassiveHealth:Window", text), ("Router:Dns:RefreshInterval", text));
        Assert.Equal(TimeSpan.FromSeconds(30), options.PassiveHealth.Window);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Dns.RefreshInterval);
    }

    [Fact]
    public void AnUnreadableValueIsNamedWithoutRepeatingItAndWithWhatWouldBeRead()
    {
        var problem = Assert.Single(Problems(("Router:Pools:main:0", "http://synapse-main:8008"), ("Router:Limits:KeepAliveTimeout", "2 minutes")));
        Assert.StartsWith("Router:Limits:KeepAliveTimeout: cannot be read: expected a duration such as 30s", problem);
        Assert.DoesNotContain("2 minutes", problem);
    }

    [Fact]
    public void PoolNamesMayUseUnderscoresForDashesAsShellsCannotExportDashes()
    {
        var options = Read(
            ("Router:Pools:main:0", "http://synapse-main:8008"),
            ("Router:Pools:client_reader:0", "http://10.0.0.5:8083"),
            ("Router:Pools:initial_synchrotron:initial_synchrotron_2", "http://localhost:51004"));
        Assert.Equal("http://10.0.0.5:8083/", Assert.Single(options.Pools[PoolType.ClientReader]).BaseUrl.AbsoluteUri);
        Assert.Equal("http://localhost:51004/", Assert.Single(options.Pools[PoolType.InitialSynchrotron]).BaseUrl.AbsoluteUri);
    }

    [Fact]
    public void BalanceIsChosenPerPoolAndTheCatalogsIsTheDefault()
    {
        var defaults = Read(("Router:Pools:main:0", "http://synapse-main:8008"), ("Router:Pools:synchrotron:0", "http://10.0.0.5:8083"));
        Assert.Empty(defaults.Balance);
        Assert.Equal(100_000, defaults.UserKey.CacheSize);
        Assert.Equal(TimeSpan.FromMinutes(10), defaults.UserKey.Expiry);

        var options = Read(("Router:Pools:main:0", "http://synapse-main:8008"), ("Router:Pools:synchrotron:0", "http://10.0.0.5:8083"),
            ("Router:Balance:synchrotron", "access-token-user"), ("Router:UserKey:CacheSize", "500"));
        Assert.Equal(BalancePolicy.AccessTokenUser, options.Balance[PoolType.Synchrotron]);
        Assert.Equal(500, options.UserKey.CacheSize);
    }

    [Fact]
    public void BadBalanceSettingsAreReportedByName()
    {
        var problems = Problems(
            ("Router:Pools:main:0", "http://synapse-main:8008"),
            ("Router:Pools:mas:0", "http://mas:8080"),
            ("Router:Balance:synchrotron", "access-token-user"),
            ("Router:Balance:main", "by-user"),
            ("Router:Balance:nowhere", "uri"),
            ("Router:Balance:mas", "access-token-user"),
            ("Router:UserKey:CacheSize", "0"),
            ("Router:UserKey:Expiry", "0")).ToList();
        Assert.Contains(problems, p => p.StartsWith("Router:Balance:synchrotron: set, but there is no synchrotron pool", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Router:Balance:main: 'by-user' is not a balance; known: access-token, access-token-user", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Router:Balance:nowhere: unknown pool", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Router:Balance:mas: access-token-user asks Synapse", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Router:UserKey:CacheSize: 0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Router:UserKey:Expiry: 0", StringComparison.Ordinal));
        Assert.Equal(6, problems.Count);
    }

    [Theory]
    [InlineData("10.96.0.10", "10.96.0.10:53")]
    [InlineData(" 127.0.0.1:5353 ", "127.0.0.1:5353")]
    [InlineData("fd00::10", "[fd00::10]:53")]
    [InlineData("[fd00::10]", "[fd00::10]:53")]
    [InlineData("[fd00::10]:5353", "[fd00::10]:5353")]
    public void ANameServerIsAnAddressWithPort53UnlessOneIsGiven(string text, string endpoint)
    {
        var options = Read(("Router:Pools:main:0", "http://synapse-main:8008"), ("Router:Dns:NameServer", text));
        Assert.Equal(endpoint, options.Dns.NameServerEndpoint?.ToString());
    }

    [Theory]
    [InlineData("kube-dns.kube-system")]
    [InlineData("10.96.0.10:0")]
    [InlineData("10.96.0.10:70000")]
    [InlineData("53")]
    [InlineData("10.96:53")]
    [InlineData("udp://10.96.0.10:53")]
    [InlineData("  ")]
    public void AnUnusableNameServerIsNamedWithTheExpectedForm(string text)
    {
        var problem = Assert.Single(Problems(("Router:Pools:main:0", "http://synapse-main:8008"), ("Router:Dns:NameServer", text)));
        Assert.StartsWith("Router:Dns:NameServer: ", problem);
        Assert.Contains(DnsOptions.NameServerFormat, problem);
    }

    [Fact]
    public void ANameServerWithoutRefreshingIsRefusedAsItWouldNeverBeAsked()
    {
        var problem = Assert.Single(Problems(
            ("Router:Pools:main:0", "http://synapse-main:8008"), ("Router:Dns:NameServer", "10.96.0.10"), ("Router:Dns:RefreshInterval", "0")));
        Assert.StartsWith("Router:Dns:NameServer: set, but Router:Dns:RefreshInterval is 0", problem);
    }
}
