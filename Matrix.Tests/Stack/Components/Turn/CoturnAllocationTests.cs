using System.Net;
using System.Net.Sockets;
using System.Numerics;
using Matrix.Stack.Coturn;

namespace Matrix.Tests.Stack.Components.Turn;

/// <summary>
/// The generated <c>turnserver.conf</c> in a real coturn: Synapse-style time-limited credentials allocate a relay,
/// anything else is refused, and the relay refuses every denied peer network.
/// </summary>
public class CoturnAllocationTests
{
    // Printable ASCII with characters a config reader might mangle ('#' comments, '=' separators, base64's '+' and '/').
    private const string SharedSecret = "kX9#q=Tz/7+vW3rY8bN2mL5pQ1sD4fG6hJ0";
    private const string UserId = "@alice:matrix.localhost";
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    // Written out independently of DeniedPeerNetworks, so a network missing from that list fails here.
    private static readonly string[] InternalIPv4Peers =
    [
        "0.0.0.0", "10.0.0.1", "10.255.255.254", "100.64.0.1", "100.127.255.254", "127.0.0.1", "127.1.2.3",
        "169.254.169.254", "172.16.0.1", "172.31.255.254", "192.168.0.1", "192.168.255.254", "224.0.0.1",
        "239.255.255.250", "255.255.255.255",
    ];

    private static readonly string[] InternalIPv6Peers =
    [
        "::1", "fe80::1", "fc00::1", "fd12:3456:789a::1", "ff02::1", "ff05::1:3", "::ffff:10.0.0.1", "::ffff:127.0.0.1",
        "::ffff:169.254.169.254", "64:ff9b::a00:1", "64:ff9b::7f00:1", "2002:a00:1::1",
    ];

    [Fact]
    public async Task AllocationSucceedsWithTheCredentialsSynapseDerivesFromTheSharedSecret()
    {
        await using var server = await CoturnServer.StartAsync(IPAddress.Loopback, SharedSecret);
        var credentials = TurnCredentials.Create(SharedSecret, UserId, DateTimeOffset.UtcNow, Lifetime);
        using var client = new TurnClient(server.EndPoint);

        var response = await client.AllocateAsync(credentials.Username, credentials.Password);

        Assert.True(response.Class == StunClass.SuccessResponse, $"{response}\n{server.Output}");
        Assert.Equal(server.Realm, client.Realm);
        // The server signed its answer with the key it derived from the shared secret: the same key as ours.
        Assert.True(response.HasValidIntegrity(client.Key!), "the success response's MESSAGE-INTEGRITY does not match our key");
        Assert.True(response.HasValidFingerprint(), "the response lacks a valid FINGERPRINT although the config asks for one");
        var relayed = response.GetXorAddress(StunAttributeType.XorRelayedAddress);
        Assert.NotNull(relayed);
        Assert.Equal(IPAddress.Loopback, relayed.Address);
        Assert.InRange(relayed.Port, server.Options.Coturn.RelayPortMin, server.Options.Coturn.RelayPortMax);

        var release = await client.RefreshAsync(0);
        Assert.True(release.Class == StunClass.SuccessResponse, $"releasing the allocation: {release}");

        // coturn understood every line of the file (it logs "Bad configuration format: <option>" otherwise).
        Assert.DoesNotContain("Bad configuration format", server.Output);
    }

    [Fact]
    public async Task ThroughTheContainerLaunchScriptTheSecretWorksAndStaysOffTheCommandLine()
    {
        await using var server = await CoturnServer.StartThroughLaunchScriptAsync(IPAddress.Loopback, SharedSecret);
        using var client = new TurnClient(server.EndPoint);
        var credentials = TurnCredentials.Create(SharedSecret, UserId, DateTimeOffset.UtcNow, Lifetime);

        var response = await client.AllocateAsync(credentials.Username, credentials.Password);

        Assert.True(response.Class == StunClass.SuccessResponse, $"{response}\n{server.Output}");
        Assert.True(response.HasValidIntegrity(client.Key!), "the success response's MESSAGE-INTEGRITY does not match our key");
        Assert.DoesNotContain("Bad configuration format", server.Output);
        Assert.DoesNotContain(SharedSecret, server.Output);
        // The script exec'd turnserver (same process) on its private copy; the secret is in no process listing.
        var commandLine = server.CommandLine;
        Assert.NotNull(commandLine);
        Assert.StartsWith("turnserver -c ", commandLine);
        Assert.DoesNotContain(SharedSecret, commandLine);
        Assert.DoesNotContain(File.ReadAllLines(server.ConfigPath), line => line.StartsWith(CoturnConfigRenderer.SharedSecretOption, StringComparison.Ordinal));

        using var forger = new TurnClient(server.EndPoint);
        var forged = TurnCredentials.Create("not-the-shared-secret", UserId, DateTimeOffset.UtcNow, Lifetime);
        var refused = await forger.AllocateAsync(forged.Username, forged.Password);
        Assert.Equal(401, refused.Error?.Code);
    }

    [Fact]
    public async Task AllocationFailsWithCredentialsDerivedFromAnotherSecret()
    {
        await using var server = await CoturnServer.StartAsync(IPAddress.Loopback, SharedSecret);
        var forged = TurnCredentials.Create("not-the-shared-secret", UserId, DateTimeOffset.UtcNow, Lifetime);
        using var client = new TurnClient(server.EndPoint);

        var response = await client.AllocateAsync(forged.Username, forged.Password);

        Assert.Equal(StunClass.ErrorResponse, response.Class);
        Assert.Equal(401, response.Error?.Code);
        Assert.Null(response.GetXorAddress(StunAttributeType.XorRelayedAddress));
    }

    [Fact]
    public async Task AllocationFailsOnceTheCredentialHasExpired()
    {
        await using var server = await CoturnServer.StartAsync(IPAddress.Loopback, SharedSecret);
        // Issued two hours ago with a one-hour lifetime: right secret, expired an hour ago.
        var expired = TurnCredentials.Create(SharedSecret, UserId, DateTimeOffset.UtcNow.AddHours(-2), Lifetime);
        using var client = new TurnClient(server.EndPoint);

        var response = await client.AllocateAsync(expired.Username, expired.Password);

        Assert.Equal(StunClass.ErrorResponse, response.Class);
        Assert.Equal(401, response.Error?.Code);
    }

    [Fact]
    public async Task RelayRefusesEveryDeniedIPv4NetworkAndAcceptsAPublicPeer()
    {
        await using var server = await CoturnServer.StartAsync(IPAddress.Loopback, SharedSecret);
        await AssertPeerPolicyAsync(server, AddressFamily.InterNetwork, DeniedPeerNetworks.IPv4, InternalIPv4Peers, IPAddress.Parse("9.9.9.9"));
    }

    [Fact]
    public async Task RelayRefusesEveryDeniedIPv6NetworkAndAcceptsAPublicPeer()
    {
        await using var server = await CoturnServer.StartAsync(IPAddress.IPv6Loopback, SharedSecret);
        await AssertPeerPolicyAsync(server, AddressFamily.InterNetworkV6, DeniedPeerNetworks.IPv6, InternalIPv6Peers, IPAddress.Parse("2620:fe::fe"));
    }

    // CreatePermission only installs a permission: no packet goes to any peer, public or not.
    private static async Task AssertPeerPolicyAsync(
        CoturnServer server, AddressFamily family, IReadOnlyList<IPNetwork> denied, string[] internalPeers, IPAddress publicPeer)
    {
        var credentials = TurnCredentials.Create(SharedSecret, UserId, DateTimeOffset.UtcNow, Lifetime);
        using var client = new TurnClient(server.EndPoint);
        var allocation = await client.AllocateAsync(credentials.Username, credentials.Password, family);
        Assert.True(allocation.Class == StunClass.SuccessResponse, $"{allocation}\n{server.Output}");

        var accepted = await client.CreatePermissionAsync(publicPeer);
        Assert.True(accepted.Class == StunClass.SuccessResponse, $"public peer {publicPeer}: {accepted}");

        var peers = denied.SelectMany(network => Samples(network).Select(peer => (peer, $"{network}")))
            .Concat(internalPeers.Select(peer => (IPAddress.Parse(peer), "internal")));
        var wrong = new List<string>();
        foreach (var (peer, why) in peers)
        {
            var response = await client.CreatePermissionAsync(peer);
            if (response.Error is not { Code: 403 })
            {
                wrong.Add($"{peer} ({why}): {response}");
            }
        }
        Assert.True(wrong.Count == 0, "peers the relay should refuse with 403 Forbidden:\n" + string.Join("\n", wrong));
    }

    // The first, a middle and the last address of a network: the edges are where a wrong range would show.
    private static IEnumerable<IPAddress> Samples(IPNetwork network)
    {
        var (first, last) = DeniedPeerNetworks.Range(network);
        var low = new BigInteger(first.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        var high = new BigInteger(last.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        var middle = (low + high) / 2;
        var bytes = new byte[first.GetAddressBytes().Length];
        middle.TryWriteBytes(bytes.AsSpan(bytes.Length - middle.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return new[] { first, new IPAddress(bytes), last }.Distinct();
    }
}
