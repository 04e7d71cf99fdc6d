namespace Matrix.Tests.Stack.Components.Turn;

/// <summary>STUN/TURN methods (RFC 5389, RFC 5766) and how a method and a class combine into the message type.</summary>
internal enum StunMethod : ushort
{
    Binding = 0x001,
    Allocate = 0x003,
    Refresh = 0x004,
    CreatePermission = 0x008,
}

internal enum StunClass
{
    Request = 0,
    Indication = 1,
    SuccessResponse = 2,
    ErrorResponse = 3,
}

internal static class StunMessageType
{
    // The class bits C0 and C1 sit at bits 4 and 8, between the method bits (RFC 5389 section 6).
    public static ushort Of(StunMethod method, StunClass messageClass)
    {
        var m = (int)method;
        var c = (int)messageClass;
        return (ushort)((m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 1) << 4) | ((c & 2) << 7));
    }

    public static StunMethod MethodOf(ushort type) =>
        (StunMethod)((type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2));

    public static StunClass ClassOf(ushort type) => (StunClass)(((type >> 4) & 1) | ((type >> 7) & 2));
}
