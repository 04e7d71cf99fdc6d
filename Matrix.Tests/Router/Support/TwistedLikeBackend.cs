using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Matrix.Tests.Router.Support;

/// <summary>
/// A backend that reads requests the way Synapse's HTTP stack (Twisted's <c>HTTPChannel</c>) does where it matters
/// here: lines of at most 16 KiB (<c>LineReceiver.MAX_LENGTH</c>), and request line plus headers of at most 16 KiB in
/// total (<c>totalHeadersSize</c>); beyond either it closes the connection without an answer. A body (by
/// Content-Length or chunked) longer than the process's <c>max_request_body_size</c> (200 × 64 KiB unless it loads
/// the media repository) is read up to that size, then the connection is aborted with a reset, as Synapse's
/// <c>SynapseRequest.handleContentChunk</c> does. Otherwise it answers 200 (keep-alive) with <c>X-Backend-Instance</c>,
/// and <c>GET /health</c> with <c>OK</c>. Header bytes are kept as received (Latin-1, so every byte is one char). A
/// raw socket server, because Kestrel (which the other fakes use) would answer 431 instead of closing, and that is the
/// behaviour under test.
/// </summary>
public sealed class TwistedLikeBackend : IAsyncDisposable
{
    public const int MaxLineLength = 16 * 1024;
    public const int TotalHeadersSize = 16 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    /// <summary>Synapse's <c>200 * MAX_PDU_SIZE</c>: what a process that does not load the media repository reads.</summary>
    public const long SynapseBodyLimit = 200 * 65536;

    private TwistedLikeBackend(string instance, long maxBodySize)
    {
        Instance = instance;
        MaxBodySize = maxBodySize;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Instance { get; }

    public long MaxBodySize { get; }

    /// <summary>The request line and header lines of every request answered (health probes excluded), Latin-1.</summary>
    public ConcurrentQueue<string[]> Heads { get; } = new();

    /// <summary>Connections aborted (reset) because a body was longer than <see cref="MaxBodySize"/>.</summary>
    public int ResetForBodySize => Volatile.Read(ref _resets);

    private int _resets;

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Request targets answered (health probes excluded).</summary>
    public ConcurrentQueue<string> Answered { get; } = new();

    /// <summary>Connections closed without an answer because a request was too long.</summary>
    public int ClosedWithoutAnswer => Volatile.Read(ref _closed);

    private int _closed;

    public static TwistedLikeBackend Start(string instance, long maxBodySize = SynapseBodyLimit) => new(instance, maxBodySize);

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = ServeAsync(client);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var reader = new LineReader(stream);
                while (true)
                {
                    var total = 0;
                    var lines = new List<string>();
                    while (true)
                    {
                        var line = await reader.ReadLineAsync(MaxLineLength, _stop.Token);
                        if (line is null)
                        {
                            if (reader.TooLong)
                            {
                                Interlocked.Increment(ref _closed);
                            }
                            return;
                        }
                        if (line.Length == 0)
                        {
                            break;
                        }
                        total += line.Length;
                        if (total > TotalHeadersSize)
                        {
                            // Twisted answers 400 here and disconnects; for the router it is the same: no usable answer.
                            Interlocked.Increment(ref _closed);
                            return;
                        }
                        lines.Add(line);
                    }
                    var target = lines[0].Split(' ')[1];
                    var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2).ToList();
                    var length = headers.Where(p => p[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                        .Select(p => long.Parse(p[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
                    var chunked = headers.Any(p => p[0].Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && p[1].Contains("chunked", StringComparison.OrdinalIgnoreCase));
                    var withinLimit = chunked ? await reader.SkipChunkedAsync(MaxBodySize, _stop.Token) : await reader.SkipAsync(length, MaxBodySize, _stop.Token);
                    if (!withinLimit)
                    {
                        Interlocked.Increment(ref _resets);
                        client.Client.LingerState = new LingerOption(true, 0);
                        return;
                    }
                    if (target != "/health")
                    {
                        Heads.Enqueue([.. lines]);
                        Answered.Enqueue(target);
                    }
                    var body = target == "/health" ? "OK" : "{}";
                    var response = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nX-Backend-Instance: {Instance}\r\n\r\n{body}";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    /// <summary>Reads CRLF-terminated lines, giving up (and saying so) on one longer than the limit.</summary>
    private sealed class LineReader(NetworkStream stream)
    {
        private readonly byte[] _buffer = new byte[8192];
        private int _start;
        private int _end;

        public bool TooLong { get; private set; }

        public async Task<string?> ReadLineAsync(int maxLength, CancellationToken cancellationToken)
        {
            var line = new MemoryStream();
            while (true)
            {
                for (var i = _start; i < _end; i++)
                {
                    if (_buffer[i] == '\n')
                    {
                        line.Write(_buffer, _start, i - _start);
                        _start = i + 1;
                        var text = Encoding.Latin1.GetString(line.ToArray());
                        text = text.EndsWith('\r') ? text[..^1] : text;
                        if (text.Length > maxLength)
                        {
                            TooLong = true;
                            return null;
                        }
                        return text;
                    }
                }
                line.Write(_buffer, _start, _end - _start);
                _start = _end = 0;
                if (line.Length > maxLength)
                {
                    TooLong = true;
                    return null;
                }
                var n = await stream.ReadAsync(_buffer, cancellationToken);
                if (n == 0)
                {
                    return null;
                }
                _end = n;
            }
        }

        /// <summary>Reads and drops <paramref name="count"/> bytes; false (having read <paramref name="limit"/>) when it is over the limit.</summary>
        public async Task<bool> SkipAsync(long count, long limit, CancellationToken cancellationToken)
        {
            var over = count > limit;
            await SkipAsync(Math.Min(count, limit), cancellationToken);
            return !over;
        }

        /// <summary>Reads a chunked body; false as soon as its chunks add up to more than <paramref name="limit"/>.</summary>
        public async Task<bool> SkipChunkedAsync(long limit, CancellationToken cancellationToken)
        {
            long total = 0;
            while (true)
            {
                var sizeLine = await ReadLineAsync(MaxLineLength, cancellationToken) ?? throw new IOException("chunked body ended early");
                var size = long.Parse(sizeLine.Split(';')[0].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    while (await ReadLineAsync(MaxLineLength, cancellationToken) is { Length: > 0 })
                    {
                    }
                    return true;
                }
                if (total + size > limit)
                {
                    await SkipAsync(limit - total, cancellationToken);
                    return false;
                }
                total += size;
                await SkipAsync(size, cancellationToken);
                await ReadLineAsync(MaxLineLength, cancellationToken);
            }
        }

        private async Task SkipAsync(long count, CancellationToken cancellationToken)
        {
            var buffered = (int)Math.Min(count, _end - _start);
            _start += buffered;
            count -= buffered;
            while (count > 0)
            {
                var n = await stream.ReadAsync(_buffer.AsMemory(0, (int)Math.Min(count, _buffer.Length)), cancellationToken);
                if (n == 0)
                {
                    return;
                }
                count -= n;
            }
        }
    }
}
