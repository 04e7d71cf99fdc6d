using System.Buffers;
using System.Net.Sockets;

namespace Matrix.Router.Transport;

/// <summary>
/// One HTTP/1.1 connection to an instance: its socket and the bytes read from it but not yet consumed. The read buffer
/// is rented only once data has arrived (a zero-byte receive waits first), so a connection whose answer has not come
/// yet (a <c>/sync</c> long-poll) holds no buffer.
/// </summary>
internal sealed class BackendConnection(Socket socket, BackendEndpoint endpoint) : IDisposable
{
    private const int BufferSize = 4096;

    private byte[]? _buffer;
    private int _start;
    private int _end;

    public Socket Socket { get; } = socket;

    public BackendEndpoint Endpoint { get; } = endpoint;

    /// <summary>Whether an earlier request used this connection (an idle instance may have closed it since).</summary>
    public bool Reused { get; set; }

    /// <summary>When the connection was last returned idle (<see cref="Environment.TickCount64"/>).</summary>
    public long IdleSince { get; set; }

    /// <summary>Bytes received and not yet consumed.</summary>
    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    public int BufferedCount => _end - _start;

    /// <summary>Bytes <see cref="FillAsync"/> has received over the connection's life.</summary>
    public long Received { get; private set; }

    public void Consume(int count)
    {
        _start += count;
        if (_start == _end)
        {
            ReleaseBuffer();
        }
    }

    /// <summary>
    /// Receives more bytes after the buffered ones; 0 at the end of the stream. Waits with a zero-byte receive when
    /// nothing is buffered, so the buffer is taken only when there is something to put in it.
    /// </summary>
    public async ValueTask<int> FillAsync(int limit)
    {
        if (_buffer is null)
        {
            await Socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
            _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            var unread = _end - _start;
            if (_start == 0)
            {
                if (_buffer.Length >= limit)
                {
                    throw new HttpRequestException(HttpRequestError.ConfigurationLimitExceeded, $"The answer's head is larger than {limit} bytes.");
                }
                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, limit));
                _buffer.AsSpan(0, unread).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }
            else
            {
                _buffer.AsSpan(_start, unread).CopyTo(_buffer);
            }
            _start = 0;
            _end = unread;
        }
        var received = await Socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
        _end += received;
        Received += received;
        if (_start == _end)
        {
            ReleaseBuffer();
        }
        return received;
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await Socket.SendAsync(bytes, SocketFlags.None);
            bytes = bytes[sent..];
        }
    }

    /// <summary>
    /// Whether an idle connection can take another request: the instance has not closed it, and sent nothing unasked.
    /// </summary>
    public bool IsUsableWhenIdle()
    {
        try
        {
            return _buffer is null && !Socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Ends the connection at once; a pending send or receive fails (timeouts and aborted clients use this).</summary>
    public void Abort() => Socket.Dispose();

    public void Dispose()
    {
        Socket.Dispose();
        ReleaseBuffer();
    }

    private void ReleaseBuffer()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            _start = _end = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
