using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Matrix.Tests.Router.Support;

/// <summary>
/// A backend that reads requests the way Synapse's HTTP stack (Twisted's <c>HTTPChannel</c>) does where it matters
/// here: lines of at most 16 KiB (<c>LineReceiver.MAX_LENGTH</c>), and request line plus headers of at most 16 KiB in
/// total (<c>totalHeadersSize</c>); beyond either it closes the connection without an answer. Otherwise it answers
/// 200 (keep-alive) with <c>X-Backend-Instance</c>, and <c>GET /health</c> with <c>OK</c>. A raw socket server,
/// because Kestrel (which the other fakes use) would answer 431 instead of closing, and that is the behaviour under test.
/// </summary>
public sealed class TwistedLikeBackend : IAsyncDisposable
{
    public const int MaxLineLength = 16 * 1024;
    public const int TotalHeadersSize = 16 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private TwistedLikeBackend(string instance)
    {
        Instance = instance;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Instance { get; }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Request targets answered (health probes excluded).</summary>
    public ConcurrentQueue<string> Answered { get; } = new();

    /// <summary>Connections closed without an answer because a request was too long.</summary>
    public int ClosedWithoutAnswer => Volatile.Read(ref _closed);

    private int _closed;

    public static TwistedLikeBackend Start(string instance) => new(instance);

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
                    var length = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                        .Select(p => int.Parse(p[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
                    await reader.SkipAsync(length, _stop.Token);
                    if (target != "/health")
                    {
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

        public async Task SkipAsync(int count, CancellationToken cancellationToken)
        {
            var buffered = Math.Min(count, _end - _start);
            _start += buffered;
            count -= buffered;
            while (count > 0)
            {
                var n = await stream.ReadAsync(_buffer.AsMemory(0, Math.Min(count, _buffer.Length)), cancellationToken);
                if (n == 0)
                {
                    return;
                }
                count -= n;
            }
        }
    }
}
