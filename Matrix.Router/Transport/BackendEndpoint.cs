using System.Net;
using System.Net.Sockets;

namespace Matrix.Router.Transport;

/// <summary>
/// One instance's address (<c>http://host:port</c>) and its idle connections, newest first: the most recently used
/// connection is the one least likely to have been closed by the instance.
/// </summary>
internal sealed class BackendEndpoint
{
    // A plain stack under a lock: a concurrent stack allocates a node for every connection returned.
    private readonly Stack<BackendConnection> _idle = new();
    private readonly Lock _idleLock = new();
    private readonly EndPoint _address;
    private long _lastUsed = Environment.TickCount64;
    private volatile bool _retired;

    public BackendEndpoint(Uri baseUrl)
    {
        _address = IPAddress.TryParse(baseUrl.IdnHost, out var ip) ? new IPEndPoint(ip, baseUrl.Port) : new DnsEndPoint(baseUrl.IdnHost, baseUrl.Port);
        // What the Host header is when the client sent none (HTTP/1.0): the instance's own authority, as HttpClient does.
        Authority = baseUrl.Authority;
    }

    public string Authority { get; }

    /// <summary>An idle connection the instance has not closed, or null.</summary>
    public BackendConnection? TakeIdle(bool forRequestWithBody)
    {
        _lastUsed = Environment.TickCount64;
        while (Pop() is { } connection)
        {
            if (connection.IsUsableWhenIdle(forRequestWithBody))
            {
                return connection;
            }
            connection.Dispose();
        }
        return null;
    }

    public void ReturnIdle(BackendConnection connection)
    {
        connection.Reused = true;
        connection.IdleSince = Environment.TickCount64;
        lock (_idleLock)
        {
            _idle.Push(connection);
        }
        if (_retired)
        {
            CloseIdleLongerThan(TimeSpan.MinValue);
        }
    }

    /// <summary>
    /// Whether no request has come for <paramref name="unused"/> and no connection is idle: an instance DNS no longer
    /// names (a replaced pod) leaves such an endpoint behind, and <see cref="Retire"/> lets it go.
    /// </summary>
    public bool IsUnusedFor(TimeSpan unused)
    {
        lock (_idleLock)
        {
            return _idle.Count == 0 && Environment.TickCount64 - _lastUsed > unused.TotalMilliseconds;
        }
    }

    /// <summary>No connection is kept from now on: one a request still in flight returns is closed.</summary>
    public void Retire()
    {
        _retired = true;
        CloseIdleLongerThan(TimeSpan.MinValue);
    }

    /// <summary>Closes connections idle longer than <paramref name="idleTimeout"/>, oldest first.</summary>
    public void CloseIdleLongerThan(TimeSpan idleTimeout)
    {
        var now = Environment.TickCount64;
        var expired = new List<BackendConnection>();
        lock (_idleLock)
        {
            // Rebuilt from the oldest up, so the newest stays on top.
            var newestFirst = _idle.ToArray();
            _idle.Clear();
            for (var i = newestFirst.Length - 1; i >= 0; i--)
            {
                if (now - newestFirst[i].IdleSince > idleTimeout.TotalMilliseconds)
                {
                    expired.Add(newestFirst[i]);
                }
                else
                {
                    _idle.Push(newestFirst[i]);
                }
            }
        }
        foreach (var connection in expired)
        {
            connection.Dispose();
        }
    }

    private BackendConnection? Pop()
    {
        lock (_idleLock)
        {
            return _idle.TryPop(out var connection) ? connection : null;
        }
    }

    /// <summary>A connection to this instance, not made yet: <see cref="ConnectAsync"/> makes it.</summary>
    public static BackendConnection NewConnection() => new(new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true });

    /// <summary>
    /// Makes <paramref name="connection"/>, which holds no timer of its own: the caller has it watched with the connect
    /// timeout (<see cref="ActivityTimeouts"/>), aborts it when the client goes, and reports a failure as
    /// <see cref="ConnectFailure"/> says. Not an async method: its state would be garbage after every connect.
    /// </summary>
    public ValueTask ConnectAsync(BackendConnection connection) => connection.Socket.ConnectAsync(_address, CancellationToken.None);

    /// <summary>What a connect that failed or timed out throws instead of <paramref name="exception"/>, as SocketsHttpHandler would; null when it stands.</summary>
    public static Exception? ConnectFailure(Exception exception, BackendConnection connection, TimeSpan timeout, CancellationToken clientAborted) => exception switch
    {
        _ when connection.TimedOut => new OperationCanceledException($"Connecting timed out after {timeout.TotalSeconds:0.###} s.", new TimeoutException()),
        _ when clientAborted.IsCancellationRequested => new OperationCanceledException(clientAborted),
        SocketException socket => new HttpRequestException(HttpRequestError.ConnectionError, $"Connecting failed: {socket.SocketErrorCode}.", socket),
        _ => null,
    };
}
