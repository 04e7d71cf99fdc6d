using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Matrix.Tests.Stack.Components.Turn;

/// <summary>
/// A STUN message (RFC 5389): a 20-byte header (type, length, magic cookie, transaction id) and attributes padded to
/// 4 bytes. Encoding can add MESSAGE-INTEGRITY (HMAC-SHA1 with the long-term key) and FINGERPRINT; decoding keeps
/// the raw bytes so both can be checked on what the server sent.
/// </summary>
internal sealed class StunMessage
{
    public const uint MagicCookie = 0x2112A442;
    private const uint FingerprintXor = 0x5354554E;
    private const int HeaderLength = 20;

    private readonly List<(ushort Type, byte[] Value, int Offset)> _attributes = [];
    private byte[]? _raw;

    public StunMessage(ushort type, byte[]? transactionId = null)
    {
        Type = type;
        TransactionId = transactionId ?? RandomNumberGenerator.GetBytes(12);
    }

    public ushort Type { get; }

    public byte[] TransactionId { get; }

    public StunMethod Method => StunMessageType.MethodOf(Type);

    public StunClass Class => StunMessageType.ClassOf(Type);

    public IEnumerable<ushort> AttributeTypes => _attributes.Select(a => a.Type);

    public static StunMessage Request(StunMethod method) => new(StunMessageType.Of(method, StunClass.Request));

    public StunMessage Add(ushort type, byte[] value)
    {
        _attributes.Add((type, value, -1));
        return this;
    }

    public StunMessage AddText(ushort type, string value) => Add(type, Encoding.UTF8.GetBytes(value));

    public StunMessage AddUInt32(ushort type, uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return Add(type, bytes);
    }

    /// <summary>XOR-PEER-ADDRESS and friends: the address XOR-ed with the magic cookie (and the transaction id for IPv6).</summary>
    public StunMessage AddXorAddress(ushort type, IPEndPoint endPoint)
    {
        var address = endPoint.Address.GetAddressBytes();
        var value = new byte[4 + address.Length];
        value[1] = endPoint.AddressFamily == AddressFamily.InterNetwork ? (byte)0x01 : (byte)0x02;
        BinaryPrimitives.WriteUInt16BigEndian(value.AsSpan(2), (ushort)(endPoint.Port ^ (MagicCookie >> 16)));
        var mask = XorMask();
        for (var i = 0; i < address.Length; i++)
        {
            value[4 + i] = (byte)(address[i] ^ mask[i]);
        }
        return Add(type, value);
    }

    public byte[]? Get(ushort type) => _attributes.Where(a => a.Type == type).Select(a => a.Value).FirstOrDefault();

    public string? GetText(ushort type) => Get(type) is { } value ? Encoding.UTF8.GetString(value) : null;

    public IPEndPoint? GetXorAddress(ushort type)
    {
        if (Get(type) is not { Length: 8 or 20 } value)
        {
            return null;
        }
        var port = BinaryPrimitives.ReadUInt16BigEndian(value.AsSpan(2)) ^ (int)(MagicCookie >> 16);
        var mask = XorMask();
        var address = new byte[value.Length - 4];
        for (var i = 0; i < address.Length; i++)
        {
            address[i] = (byte)(value[4 + i] ^ mask[i]);
        }
        return new IPEndPoint(new IPAddress(address), port);
    }

    /// <summary>The ERROR-CODE attribute: class * 100 + number, and the reason phrase.</summary>
    public (int Code, string Reason)? Error =>
        Get(StunAttributeType.ErrorCode) is { Length: >= 4 } value
            ? ((value[2] & 0x07) * 100 + value[3], Encoding.UTF8.GetString(value, 4, value.Length - 4))
            : null;

    /// <summary>The wire form; with a key, MESSAGE-INTEGRITY is appended, then FINGERPRINT if asked for.</summary>
    public byte[] Encode(byte[]? integrityKey, bool fingerprint)
    {
        using var body = new MemoryStream();
        foreach (var (type, value, _) in _attributes)
        {
            WriteAttribute(body, type, value);
        }
        var message = Assemble(body.ToArray());
        if (integrityKey is not null)
        {
            // The HMAC covers the message with its length already counting the MESSAGE-INTEGRITY attribute.
            SetLength(message, message.Length - HeaderLength + 24);
            message = Append(message, StunAttributeType.MessageIntegrity, HMACSHA1.HashData(integrityKey, message));
        }
        if (fingerprint)
        {
            SetLength(message, message.Length - HeaderLength + 8);
            var crc = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(message) ^ FingerprintXor);
            message = Append(message, StunAttributeType.Fingerprint, crc);
        }
        return message;
    }

    public static StunMessage Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderLength || BinaryPrimitives.ReadUInt32BigEndian(data[4..]) != MagicCookie)
        {
            throw new InvalidDataException($"not a STUN message ({data.Length} bytes)");
        }
        var length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        if (HeaderLength + length != data.Length)
        {
            throw new InvalidDataException($"STUN length {length} does not match the {data.Length}-byte datagram");
        }
        var message = new StunMessage(BinaryPrimitives.ReadUInt16BigEndian(data), data.Slice(8, 12).ToArray()) { _raw = data.ToArray() };
        var offset = HeaderLength;
        while (offset + 4 <= data.Length)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            var valueLength = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            message._attributes.Add((type, data.Slice(offset + 4, valueLength).ToArray(), offset));
            offset += 4 + ((valueLength + 3) & ~3);
        }
        return message;
    }

    /// <summary>Whether the decoded message's MESSAGE-INTEGRITY is the HMAC-SHA1 of what precedes it under <paramref name="key"/>.</summary>
    public bool HasValidIntegrity(byte[] key)
    {
        var (_, value, offset) = _attributes.FirstOrDefault(a => a.Type == StunAttributeType.MessageIntegrity);
        if (_raw is null || value is null)
        {
            return false;
        }
        var covered = _raw[..offset];
        SetLength(covered, offset - HeaderLength + 24);
        return CryptographicOperations.FixedTimeEquals(HMACSHA1.HashData(key, covered), value);
    }

    /// <summary>Whether the decoded message ends with a correct FINGERPRINT.</summary>
    public bool HasValidFingerprint()
    {
        var (_, value, offset) = _attributes.FirstOrDefault(a => a.Type == StunAttributeType.Fingerprint);
        if (_raw is null || value is not { Length: 4 } || offset + 8 != _raw.Length)
        {
            return false;
        }
        return BinaryPrimitives.ReadUInt32BigEndian(value) == (Crc32.Compute(_raw.AsSpan(0, offset)) ^ FingerprintXor);
    }

    /// <summary>The long-term credential key (RFC 5389 section 15.4): MD5(username ":" realm ":" password).</summary>
    public static byte[] LongTermKey(string username, string realm, string password) =>
        MD5.HashData(Encoding.UTF8.GetBytes($"{username}:{realm}:{password}"));

    public override string ToString() =>
        $"{Method} {Class}{(Error is { } e ? $" {e.Code} {e.Reason}" : "")} [{string.Join(", ", AttributeTypes.Select(t => $"0x{t:X4}"))}]";

    private byte[] XorMask()
    {
        var mask = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, MagicCookie);
        TransactionId.CopyTo(mask, 4);
        return mask;
    }

    private byte[] Assemble(byte[] body)
    {
        var message = new byte[HeaderLength + body.Length];
        BinaryPrimitives.WriteUInt16BigEndian(message, Type);
        SetLength(message, body.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), MagicCookie);
        TransactionId.CopyTo(message, 8);
        body.CopyTo(message, HeaderLength);
        return message;
    }

    private static byte[] Append(byte[] message, ushort type, byte[] value)
    {
        using var stream = new MemoryStream();
        stream.Write(message);
        WriteAttribute(stream, type, value);
        var result = stream.ToArray();
        SetLength(result, result.Length - HeaderLength);
        return result;
    }

    private static void WriteAttribute(Stream stream, ushort type, byte[] value)
    {
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(header, type);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)value.Length);
        stream.Write(header);
        stream.Write(value);
        stream.Write(new byte[(4 - value.Length % 4) % 4]);
    }

    private static void SetLength(byte[] message, int length) => BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)length);
}
