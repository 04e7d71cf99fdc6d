using System.Net;
using System.Net.Sockets;

namespace Matrix.Tests.Stack.Components.Turn;

/// <summary>
/// A small TURN client over UDP (RFC 5766 on RFC 5389): Allocate with the long-term credential mechanism (a first
/// unauthenticated request earns 401 with REALM and NONCE, the second carries USERNAME, REALM, NONCE and
/// MESSAGE-INTEGRITY), then CreatePermission and Refresh on that allocation. Every request carries FINGERPRINT.
/// </summary>
internal sealed class TurnClient : IDisposable
{
    private const byte UdpProtocolNumber = 17;

    // RFC 5389 retransmission: a lost datagram must not fail a test, even on loopback. This bounds waiting only.
    private static readonly TimeSpan[] RetransmissionWaits =
        [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4)];

    private readonly UdpClient _udp;
    private string? _username;
    private string? _nonce;

    public TurnClient(IPEndPoint server)
    {
        _udp = new UdpClient(server.AddressFamily);
        _udp.Connect(server);
    }

    /// <summary>The realm the server challenged with (known after the first Allocate).</summary>
    public string? Realm { get; private set; }

    /// <summary>The long-term key, MD5(username:realm:password), to check the integrity of the server's answers.</summary>
    public byte[]? Key { get; private set; }

    /// <summary>Allocates a UDP relay; the answer is the final response (success, or the error after authenticating).</summary>
    public async Task<StunMessage> AllocateAsync(string username, string password, AddressFamily relayFamily = AddressFamily.InterNetwork)
    {
        var challenge = await TransactAsync(AllocateRequest(relayFamily), key: null);
        if (challenge.Error is not { Code: 401 } || challenge.GetText(StunAttributeType.Realm) is not { } realm
            || challenge.GetText(StunAttributeType.Nonce) is not { } nonce)
        {
            throw new InvalidDataException($"expected a 401 challenge with REALM and NONCE, got {challenge}");
        }
        _username = username;
        _nonce = nonce;
        Realm = realm;
        Key = StunMessage.LongTermKey(username, realm, password);
        return await AuthenticatedAsync(() => AllocateRequest(relayFamily));
    }

    /// <summary>Asks the relay to accept traffic from <paramref name="peer"/> (no packet is sent to the peer).</summary>
    public Task<StunMessage> CreatePermissionAsync(IPAddress peer) =>
        AuthenticatedAsync(() => StunMessage.Request(StunMethod.CreatePermission)
            .AddXorAddress(StunAttributeType.XorPeerAddress, new IPEndPoint(peer, 0)));

    /// <summary>Refreshes the allocation; a lifetime of 0 releases it.</summary>
    public Task<StunMessage> RefreshAsync(uint lifetimeSeconds) =>
        AuthenticatedAsync(() => StunMessage.Request(StunMethod.Refresh).AddUInt32(StunAttributeType.Lifetime, lifetimeSeconds));

    /// <summary>A Binding request (no credentials): the server answers it once it listens on UDP.</summary>
    public Task<StunMessage> BindAsync() => TransactAsync(StunMessage.Request(StunMethod.Binding), key: null);

    public void Dispose() => _udp.Dispose();

    private static StunMessage AllocateRequest(AddressFamily relayFamily)
    {
        var request = StunMessage.Request(StunMethod.Allocate).Add(StunAttributeType.RequestedTransport, [UdpProtocolNumber, 0, 0, 0]);
        if (relayFamily == AddressFamily.InterNetworkV6)
        {
            request.Add(StunAttributeType.RequestedAddressFamily, [0x02, 0, 0, 0]);
        }
        return request;
    }

    private async Task<StunMessage> AuthenticatedAsync(Func<StunMessage> build)
    {
        if (_username is null || Realm is null || _nonce is null || Key is null)
        {
            throw new InvalidOperationException("allocate first: the realm and nonce come from the server's challenge");
        }
        var response = await TransactAsync(Sign(build()), Key);
        // 438 Stale Nonce: the server handed a fresh NONCE; one retry with it is the protocol, not a workaround.
        if (response.Error is { Code: 438 } && response.GetText(StunAttributeType.Nonce) is { } fresh)
        {
            _nonce = fresh;
            response = await TransactAsync(Sign(build()), Key);
        }
        return response;
    }

    private StunMessage Sign(StunMessage request) => request
        .AddText(StunAttributeType.Username, _username!)
        .AddText(StunAttributeType.Realm, Realm!)
        .AddText(StunAttributeType.Nonce, _nonce!);

    private async Task<StunMessage> TransactAsync(StunMessage request, byte[]? key)
    {
        var datagram = request.Encode(key, fingerprint: true);
        foreach (var wait in RetransmissionWaits)
        {
            await _udp.SendAsync(datagram);
            using var timeout = new CancellationTokenSource(wait);
            try
            {
                while (true)
                {
                    var received = await _udp.ReceiveAsync(timeout.Token);
                    var response = StunMessage.Decode(received.Buffer);
                    if (response.TransactionId.AsSpan().SequenceEqual(request.TransactionId))
                    {
                        return response;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                // ICMP port unreachable: nothing listens on the UDP port yet (turnserver binds UDP after TCP). A lost
                // answer as far as the protocol goes: wait out this round, then retransmit.
                await Task.Delay(wait);
            }
        }
        throw new TimeoutException($"no answer to {request.Method} from {_udp.Client.RemoteEndPoint}");
    }
}
