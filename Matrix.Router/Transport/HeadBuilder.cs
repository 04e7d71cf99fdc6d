using System.Text;

namespace Matrix.Router.Transport;

/// <summary>
/// Bytes of a request head in a buffer that grows as needed. A head is written and sent without a wait in between, so
/// each thread reuses one builder (<see cref="ForThisThread"/>) rather than allocating one per request.
/// </summary>
internal sealed class HeadBuilder
{
    [ThreadStatic]
    private static HeadBuilder? t_builder;

    private byte[] _buffer = new byte[2048];

    public int Length { get; private set; }

    /// <summary>This thread's builder, emptied; valid until the thread next asks for it.</summary>
    public static HeadBuilder ForThisThread()
    {
        var builder = t_builder ??= new HeadBuilder();
        builder.Length = 0;
        if (builder._buffer.Length > 16 * 1024)
        {
            // Grown by a rare large head: not kept for every request after it.
            builder._buffer = new byte[2048];
        }
        return builder;
    }

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, Length);

    /// <summary>Room for <paramref name="count"/> more bytes after <see cref="Length"/>.</summary>
    public Span<byte> Reserve(int count)
    {
        if (_buffer.Length - Length < count)
        {
            var larger = new byte[Math.Max(_buffer.Length * 2, Length + count)];
            _buffer.AsSpan(0, Length).CopyTo(larger);
            _buffer = larger;
        }
        return _buffer.AsSpan(Length);
    }

    public void Advance(int count) => Length += count;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        Length += bytes.Length;
    }

    /// <summary>Appends <paramref name="text"/> as UTF-8 (as the router's HttpClient sent header values).</summary>
    public void Append(string text)
    {
        Length += Encoding.UTF8.GetBytes(text, Reserve(Encoding.UTF8.GetMaxByteCount(text.Length)));
    }

    public void AppendHeader(string name, string value)
    {
        Append(name);
        Append(": "u8);
        Append(value);
        Append("\r\n"u8);
    }
}
