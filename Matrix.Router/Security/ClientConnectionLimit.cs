using Matrix.Router.Configuration;
using Matrix.Router.Telemetry;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Matrix.Router.Security;

/// <summary>
/// Holds the router to <see cref="ConnectionCapacity.Effective"/> client connections: one more is closed at once,
/// counted in <c>matrix.router.connections_refused</c> and logged at most once per <see cref="LogThrottle.Interval"/>.
/// Kestrel's <c>MaxConcurrentConnections</c> does the same but keeps an async frame, a releaser and a fifth connection
/// feature (which doubles the feature list) alive for every connection: about 230 B of each idle long-poll's 12 KiB
/// (docs/performance.md). This holds one registration on the connection's closed token.
/// </summary>
public sealed partial class ClientConnectionLimit(ConnectionCapacity capacity, RouterMetrics metrics, ILogger<ClientConnectionLimit> logger)
{
    private readonly LogThrottle _throttle = new();
    private long _open;

    /// <summary>Client connections held now, refused ones not counted.</summary>
    public long Open => Volatile.Read(ref _open);

    /// <summary>Puts the limit in front of <paramref name="next"/>, the endpoint's own connection handling.</summary>
    public ConnectionDelegate Before(ConnectionDelegate next) => connection => AcceptAsync(connection, next);

    private Task AcceptAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var cap = capacity.Effective;
        if (Interlocked.Increment(ref _open) > cap)
        {
            Interlocked.Decrement(ref _open);
            metrics.ConnectionRefused();
            if (_throttle.TryTakeLine(out var suppressed))
            {
                LogRefused(cap, suppressed);
            }
            return connection.DisposeAsync().AsTask();
        }
        // Counted until the transport has closed, however that came about (the client, a timeout, shutdown); the
        // registration fires once, at once if it has already closed. Every transport of Kestrel's has this token.
        connection.ConnectionClosed.UnsafeRegister(static limit => ((ClientConnectionLimit)limit!).Release(), this);
        return next(connection);
    }

    private void Release() => Interlocked.Decrement(ref _open);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closed a client connection at once: the router holds {Cap} client connections, as many as it accepts (Router:Limits:MaxConnections, or less under the open-file limit); {Suppressed} more closed since the previous line (one line per 10 s at most; matrix.router.connections_refused counts every one)")]
    private partial void LogRefused(long cap, long suppressed);
}
