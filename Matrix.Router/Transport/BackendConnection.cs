using System.Buffers;
using System.Net.Sockets;

namespace Matrix.Router.Transport;

/// <summary>
/// One HTTP/1.1 connection to an instance: its socket and the bytes read from it but not yet consumed. The read buffer
/// is rented only once data has arrived (a zero-byte receive waits first), so a connection whose answer has not come
/// yet (a <c>/sync</c> long-poll) holds no buffer.
/// </summary>
internal sealed class BackendConnection(Socket socket) : IDisposable
{
    private const int BufferSize = 4096;

    private const int Idle = 0;
    private const int InFlight = 1;
    private const int TimedOutState = 2;

    private byte[]? _buffer;
    private int _start;
    private int _end;

    // The exchange in flight on this connection, watched by ActivityTimeouts.
    private int _state;
    private long _lastActivity;
    private long _timeoutMilliseconds;
    private CancellationTokenSource? _clientWait;

    // ActivityTimeouts' list of exchanges in flight, kept under its lock.
    internal BackendConnection? PreviousInFlight;
    internal BackendConnection? NextInFlight;
    internal bool IsTracked;

    public Socket Socket { get; } = socket;

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
    /// nothing is buffered, so the buffer is taken only when there is something to put in it (unless the caller has
    /// just waited so: <paramref name="waitForData"/> false).
    /// </summary>
    public async ValueTask<int> FillAsync(int limit, bool waitForData = true)
    {
        if (_buffer is null)
        {
            if (waitForData)
            {
                await Socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
            }
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
        Touch();
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
            Touch();
        }
    }

    /// <summary>
    /// Sends a request head without the async machinery: a head (at most 16 KiB) goes into the empty send buffer of
    /// a connection whose previous answer was read to the end, so the kernel takes it at once.
    /// </summary>
    public void SendHead(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            bytes = bytes[Socket.Send(bytes, SocketFlags.None)..];
        }
        Touch();
    }

    /// <summary>
    /// Waits, holding no buffer, until the instance sends something (or closes the connection); not an async method,
    /// so a waiting long-poll holds no state machine for it.
    /// </summary>
    public ValueTask<int> WaitForDataAsync() =>
        BufferedCount > 0 ? ValueTask.FromResult(0) : Socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);

    /// <summary>
    /// Whether an idle connection can take another request: the instance has not closed it, and sent nothing unasked.
    /// A connection idle for less than a second is taken for a request without a body without asking the kernel (a
    /// poll costs about a fifth of a forwarded request's CPU): such a request that meets a closed connection is sent
    /// again on a new one. A request with a body cannot be sent again once its body was read, so it always asks.
    /// </summary>
    public bool IsUsableWhenIdle(bool forRequestWithBody)
    {
        if (_buffer is not null)
        {
            return false;
        }
        if (!forRequestWithBody && Environment.TickCount64 - IdleSince < 1000)
        {
            return true;
        }
        try
        {
            return !Socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Whether the activity timeout ended the exchange (its socket is then aborted).</summary>
    public bool TimedOut => Volatile.Read(ref _state) == TimedOutState;

    public void BeginExchange(TimeSpan timeout)
    {
        _timeoutMilliseconds = (long)timeout.TotalMilliseconds;
        _lastActivity = Environment.TickCount64;
        Volatile.Write(ref _state, InFlight);
    }

    /// <summary>The connect is made: from now on <paramref name="timeout"/> applies, counted from now.</summary>
    public void Connected(TimeSpan timeout)
    {
        Touch();
        _timeoutMilliseconds = (long)timeout.TotalMilliseconds;
    }

    /// <summary>Bytes moved: the activity timeout starts again.</summary>
    public void Touch() => _lastActivity = Environment.TickCount64;

    /// <summary>
    /// A token for waiting on the client (reading its body) that the activity timeout cancels too. Made only when
    /// asked for: a request without a body (every long-poll) never has one.
    /// </summary>
    public CancellationToken ClientWaitToken(CancellationToken requestAborted)
    {
        if (_clientWait is null)
        {
            var source = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
            Volatile.Write(ref _clientWait, source);
            if (TimedOut)
            {
                source.Cancel();
            }
        }
        return _clientWait.Token;
    }

    /// <summary>
    /// Called once a second for an exchange in flight: marks it timed out if nothing moved for its timeout. The caller
    /// then ends it with <see cref="AbortTimedOut"/>.
    /// </summary>
    public bool TryExpire(long now) =>
        now - Volatile.Read(ref _lastActivity) > _timeoutMilliseconds
        && Interlocked.CompareExchange(ref _state, TimedOutState, InFlight) == InFlight;

    /// <summary>Ends an exchange <see cref="TryExpire"/> marked: its socket is aborted and a wait on the client cancelled.</summary>
    public void AbortTimedOut()
    {
        Abort();
        try
        {
            Volatile.Read(ref _clientWait)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The exchange ended as it timed out.
        }
    }

    /// <summary>Ends the exchange; false if the activity timeout ended it first.</summary>
    public bool EndExchange()
    {
        var ended = Interlocked.CompareExchange(ref _state, Idle, InFlight) == InFlight;
        if (Interlocked.Exchange(ref _clientWait, null) is { } source)
        {
            source.Dispose();
        }
        return ended;
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
