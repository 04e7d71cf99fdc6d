namespace Matrix.Tests.Stack.Components.Turn;

/// <summary>The STUN/TURN attributes this client uses (RFC 5389 section 18.2, RFC 5766 section 14, RFC 6156).</summary>
internal static class StunAttributeType
{
    public const ushort Username = 0x0006;
    public const ushort MessageIntegrity = 0x0008;
    public const ushort ErrorCode = 0x0009;
    public const ushort Lifetime = 0x000D;
    public const ushort XorPeerAddress = 0x0012;
    public const ushort Realm = 0x0014;
    public const ushort Nonce = 0x0015;
    public const ushort XorRelayedAddress = 0x0016;
    public const ushort RequestedAddressFamily = 0x0017;
    public const ushort RequestedTransport = 0x0019;
    public const ushort XorMappedAddress = 0x0020;
    public const ushort Fingerprint = 0x8028;
}
