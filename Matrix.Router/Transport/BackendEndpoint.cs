using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Matrix.Router.Transport;

/// <summary>
/// One instance's address (<c>http://host:port</c>) and its idle connections, newest first: the most recently used
/// connection is the one least likely to have been closed by the instance.
/// </summary>
internal sealed class BackendEndpoint
{
    private readonly ConcurrentStack<BackendConnection> _idle = new();
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
        while (_idle.TryPop(out var connection))
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
        _idle.Push(connection);
        if (_retired)
        {
            CloseIdleLongerThan(TimeSpan.MinValue);
        }
    }

    /// <summary>
    /// Whether no request has come for <paramref name="unused"/> and no connection is idle: an instance DNS no longer
    /// names (a replaced pod) leaves such an endpoint behind, and <see cref="Retire"/> lets it go.
    /// </summary>
    public bool IsUnusedFor(TimeSpan unused) => _idle.IsEmpty && Environment.TickCount64 - _lastUsed > unused.TotalMilliseconds;

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
        var keep = new List<BackendConnection>();
        while (_idle.TryPop(out var connection))
        {
            if (now - connection.IdleSince > idleTimeout.TotalMilliseconds)
            {
                connection.Dispose();
            }
            else
            {
                keep.Add(connection);
            }
        }
        // Back in the order they were taken out in reverse, so the newest stays on top.
        for (var i = keep.Count - 1; i >= 0; i--)
        {
            _idle.Push(keep[i]);
        }
    }

    /// <summary>A new connection; a connect that fails or times out throws what SocketsHttpHandler would.</summary>
    public async ValueTask<BackendConnection> ConnectAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(_address, deadline.Token);
            return new BackendConnection(socket);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new OperationCanceledException($"Connecting timed out after {timeout.TotalSeconds:0.###} s.", new TimeoutException());
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"Connecting failed: {e.SocketErrorCode}.", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
