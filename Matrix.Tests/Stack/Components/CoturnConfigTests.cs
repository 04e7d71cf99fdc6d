using System.Net;
using System.Numerics;
using Matrix.Stack.Coturn;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;

namespace Matrix.Tests.Stack.Components;

/// <summary>The content of <c>coturn/turnserver.conf</c>, read back as coturn's <c>option[=value]</c> lines.</summary>
public class CoturnConfigTests
{
    [Fact]
    public void HoldsTheSharedSecretForTimeLimitedCredentialsAndIsASecretFile()
    {
        var secrets = ComponentFiles.DistinctSecrets();
        var file = ComponentFiles.Render(secrets: secrets).Single(CoturnConfigRenderer.ConfigPath);
        var lines = Parse(file);

        Assert.Equal(RenderedFileKind.Secret, file.Kind);
        Assert.Contains(("use-auth-secret", null), lines);
        Assert.Equal([secrets.Reveal(SecretName.TurnSharedSecret)], Values(lines, "static-auth-secret"));
        Assert.Equal(["turn.matrix.localhost"], Values(lines, "realm"));
        Assert.DoesNotContain(lines, l => l.Option is "lt-cred-mech" or "no-auth" or "user" or "allow-loopback-peers" or "server-relay");
    }

    [Fact]
    public void RealmFollowsTheOptionsThenThePublicHost()
    {
        var fromPublicHost = Parse(ComponentFiles.Render(o => o.Coturn.PublicHost = "relay.example.org").Single(CoturnConfigRenderer.ConfigPath));
        var explicitRealm = Parse(ComponentFiles.Render(o =>
        {
            o.Coturn.PublicHost = "relay.example.org";
            o.Coturn.Realm = "example.org";
        }).Single(CoturnConfigRenderer.ConfigPath));
        var serverNameWithPort = Parse(ComponentFiles.Render(o => o.ServerName = "example.org:8448").Single(CoturnConfigRenderer.ConfigPath));

        Assert.Equal(["relay.example.org"], Values(fromPublicHost, "realm"));
        Assert.Equal(["example.org"], Values(explicitRealm, "realm"));
        Assert.Equal(["turn.example.org"], Values(serverNameWithPort, "realm"));
    }

    [Fact]
    public void ListenerAndRelayRangeComeFromTheOptions()
    {
        var lines = Parse(ComponentFiles.Render(o =>
        {
            o.Coturn.ListenAddress = "10.1.2.3";
            o.Coturn.Port = 3479;
            o.Coturn.RelayPortMin = 40000;
            o.Coturn.RelayPortMax = 40999;
        }).Single(CoturnConfigRenderer.ConfigPath));

        Assert.Equal(["10.1.2.3"], Values(lines, "listening-ip"));
        Assert.Equal(["3479"], Values(lines, "listening-port"));
        Assert.Equal(["40000"], Values(lines, "min-port"));
        Assert.Equal(["40999"], Values(lines, "max-port"));
    }

    [Fact]
    public void ListeningOnEveryAddressLeavesListeningIpOut()
    {
        // coturn then binds every interface and relays from the one each client came in on.
        var lines = Parse(ComponentFiles.Render(o => o.Coturn.ListenAddress = "0.0.0.0").Single(CoturnConfigRenderer.ConfigPath));

        Assert.Empty(Values(lines, "listening-ip"));
    }

    [Fact]
    public void HardeningOptionsArePresent()
    {
        var lines = Parse(ComponentFiles.Render().Single(CoturnConfigRenderer.ConfigPath));

        foreach (var flag in new[] { "no-tcp-relay", "no-multicast-peers", "no-cli", "no-tls", "no-dtls", "fingerprint", "no-rfc5780", "no-software-attribute" })
        {
            Assert.Contains((flag, null), lines);
        }
        Assert.Equal(["stdout"], Values(lines, "log-file"));
        Assert.InRange(int.Parse(Assert.Single(Values(lines, "user-quota"))!), 1, 100);
        Assert.InRange(int.Parse(Assert.Single(Values(lines, "total-quota"))!), 1, 100_000);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.255")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.251")]
    [InlineData("239.255.255.250")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("fc00::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:c0a8:101::1")]
    public void DeniedPeerRangesCoverInternalAddresses(string address)
    {
        var ranges = DeniedRanges(ComponentFiles.Render().Single(CoturnConfigRenderer.ConfigPath));

        Assert.Contains(ranges, r => Covers(r, IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("9.9.9.9")]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("2620:fe::fe")]
    [InlineData("2606:4700:4700::1111")]
    public void DeniedPeerRangesLeavePublicAddressesReachable(string address)
    {
        var ranges = DeniedRanges(ComponentFiles.Render().Single(CoturnConfigRenderer.ConfigPath));

        Assert.DoesNotContain(ranges, r => Covers(r, IPAddress.Parse(address)));
    }

    [Fact]
    public void NoDeniedRangeStartsAtTheUnspecifiedIPv6Address()
    {
        // coturn treats a range starting at "::" as open below, which would deny every IPv4 peer as well.
        var ranges = DeniedRanges(ComponentFiles.Render().Single(CoturnConfigRenderer.ConfigPath));

        Assert.DoesNotContain(ranges, r => r.First.Equals(IPAddress.IPv6Any));
    }

    [Theory]
    [InlineData("line\nno-auth")]
    [InlineData(" padded")]
    [InlineData("with space")]
    [InlineData("\"quoted\"")]
    public void ASharedSecretCoturnCannotReadIsRefusedWithoutShowingIt(string secret)
    {
        var values = SecretName.All.ToDictionary(name => name, name => name == SecretName.TurnSharedSecret ? secret : name == SecretName.SigningKey ? TestSigningKey.Value : $"ok-{name}");

        // Validation refuses it before any file is rendered, naming the secret and never its value.
        var error = Assert.Throws<Matrix.Stack.Validation.StackValidationException>(() => ComponentFiles.Render(secrets: new StackSecrets(values)));

        Assert.Equal($"secrets.{SecretName.TurnSharedSecret}", Assert.Single(error.Problems).Setting);
        Assert.DoesNotContain(secret.Trim(), error.Message);
    }

    [Fact]
    public void AListenAddressThatIsNotAnIpAddressIsRefusedNamingTheSetting()
    {
        var error = Assert.Throws<Matrix.Stack.Validation.StackValidationException>(() => ComponentFiles.Render(o => o.Coturn.ListenAddress = "turn.example.org\nno-auth"));

        Assert.Equal("coturn.listenAddress", Assert.Single(error.Problems).Setting);
    }

    [Fact]
    public void DisabledCoturnRendersNothing()
    {
        var files = ComponentFiles.Render(o => o.Coturn.Enabled = false);

        Assert.DoesNotContain(files, f => f.Component == "coturn");
    }

    private static List<(string Option, string? Value)> Parse(RenderedFile file) =>
        file.Content.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2) is [var option, var value] ? (option, (string?)value) : (line, null))
            .ToList();

    private static List<string?> Values(List<(string Option, string? Value)> lines, string option) =>
        lines.Where(l => l.Option == option).Select(l => l.Value).ToList();

    private static List<(IPAddress First, IPAddress Last)> DeniedRanges(RenderedFile file) =>
        Values(Parse(file), "denied-peer-ip")
            .Select(value => value!.Split('-'))
            .Select(parts => (IPAddress.Parse(parts[0]), IPAddress.Parse(parts.Length > 1 ? parts[1] : parts[0])))
            .ToList();

    private static bool Covers((IPAddress First, IPAddress Last) range, IPAddress address) =>
        range.First.AddressFamily == address.AddressFamily
        && Number(range.First) <= Number(address) && Number(address) <= Number(range.Last);

    private static BigInteger Number(IPAddress address) => new(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
}
