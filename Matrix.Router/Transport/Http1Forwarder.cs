using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Matrix.Router.Configuration;
using Matrix.Router.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Matrix.Router.Transport;

/// <summary>
/// Forwards a request to an instance over HTTP/1.1 on the router's own pooled connections (<c>Router:Transport</c>
/// <c>Http1</c>): the request head is written from Kestrel's request in one send, the answer's head parsed straight
/// into Kestrel's response and its body received straight into Kestrel's response pipe. No buffer is held while an
/// answer is awaited. It reports failures as YARP's forwarder does (<see cref="ForwarderError"/>, the status it sets,
/// <see cref="IForwarderErrorFeature"/>), so <see cref="PoolForwarder"/>'s retry and health decisions are the same for
/// both transports. Written by hand because no library offers an HTTP/1.1 client that neither copies headers into
/// an <see cref="HttpRequestMessage"/> nor keeps two 4 KiB buffers per waiting connection (docs/performance.md).
/// Destinations other than <c>http://</c> go to YARP's forwarder.
/// </summary>
public sealed partial class Http1Forwarder : IHttpForwarder, IDisposable
{
    private const int BodyBufferSize = 16 * 1024;

    private static readonly ReadOnlyMemory<byte> LastChunk = "0\r\n\r\n"u8.ToArray();

    private readonly ConcurrentDictionary<string, BackendEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly IHttpForwarder _other;
    private readonly TimeSpan _connectTimeout;
    private readonly ILogger<Http1Forwarder> _logger;
    private readonly ActivityTimeouts _timeouts;
    private int _secondsSinceIdleSweep;

    public Http1Forwarder(IHttpForwarder other, RouterOptions options, ILogger<Http1Forwarder> logger)
    {
        _other = other;
        _connectTimeout = options.Limits.ConnectTimeout;
        _logger = logger;
        _timeouts = new ActivityTimeouts(() =>
        {
            if (++_secondsSinceIdleSweep >= IdleTimeout.TotalSeconds / 2)
            {
                _secondsSinceIdleSweep = 0;
                CloseIdle();
            }
        });
    }

    /// <summary>Idle connections to an instance that went away should not linger; new ones are cheap on a LAN.</summary>
    public static TimeSpan IdleTimeout { get; } = TimeSpan.FromSeconds(60);

    public ValueTask<ForwarderError> SendAsync(HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient,
        ForwarderRequestConfig requestConfig, HttpTransformer transformer)
    {
        if (transformer is not ForwardedRequest forwarded || !destinationPrefix.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return _other.SendAsync(context, destinationPrefix, httpClient, requestConfig, transformer);
        }
        var endpoint = _endpoints.GetOrAdd(destinationPrefix, static prefix => new BackendEndpoint(new Uri(prefix)));
        return ForwardAsync(context, endpoint, forwarded, requestConfig.ActivityTimeout ?? TimeSpan.FromSeconds(100));
    }

    public void Dispose()
    {
        _timeouts.Dispose();
        foreach (var endpoint in _endpoints.Values)
        {
            endpoint.CloseIdleLongerThan(TimeSpan.MinValue);
        }
    }

    private void CloseIdle()
    {
        foreach (var (prefix, endpoint) in _endpoints)
        {
            endpoint.CloseIdleLongerThan(IdleTimeout);
            // Pods come and go under DNS discovery: an address unused for ten idle timeouts is forgotten.
            if (endpoint.IsUnusedFor(IdleTimeout * 10) && _endpoints.TryRemove(KeyValuePair.Create(prefix, endpoint)))
            {
                endpoint.Retire();
            }
        }
    }

    private enum Stage
    {
        Connect,
        RequestHead,
        RequestBody,
        ResponseHead,
        ResponseBody,
    }

    // Every forwarded request completes this method asynchronously: its state machine comes from .NET's pool when one
    // is free (one kept per thread and core) instead of being allocated each time (docs/performance.md, round 3).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ForwarderError> ForwardAsync(HttpContext context, BackendEndpoint endpoint, ForwardedRequest forwarded, TimeSpan activityTimeout)
    {
        var request = context.Request;
        var clientAborted = ClientDeparture.Token(context);
        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;
        var framing = RequestHead.FramingOf(request, hasBody);
        var headRequest = HttpMethods.IsHead(request.Method);
        var stage = Stage.Connect;
        var bodyStarted = false;
        long receivedBefore = 0;
        BackendConnection? connection = null;
        CancellationTokenRegistration abort = default;
        ResponseBody? body = null;
        try
        {
            for (var fresh = false; ; fresh = true)
            {
                stage = Stage.Connect;
                connection = fresh ? null : endpoint.TakeIdle(hasBody);
                var connecting = connection is null;
                connection ??= BackendEndpoint.NewConnection();
                receivedBefore = connection.Received;
                // A connect is watched as an exchange is, with the connect timeout: no timer or linked cancellation
                // source of its own, each of which was garbage once connected (docs/performance.md, round 5).
                _timeouts.Track(connection, connecting ? _connectTimeout : activityTimeout);
                abort = clientAborted.UnsafeRegister(static state => ((BackendConnection)state!).Abort(), connection);
                if (connecting)
                {
                    try
                    {
                        await endpoint.ConnectAsync(connection);
                    }
                    catch (Exception e) when (BackendEndpoint.ConnectFailure(e, connection, _connectTimeout, clientAborted) is { } failure)
                    {
                        throw failure;
                    }
                    connection.Connected(activityTimeout);
                }
                try
                {
                    stage = Stage.RequestHead;
                    var head = HeadBuilder.ForThisThread();
                    RequestHead.Write(head, context, forwarded, endpoint, framing);
                    connection.SendHead(head.Written.Span);
                    if (framing != RequestBodyFraming.None && hasBody)
                    {
                        stage = Stage.RequestBody;
                        bodyStarted = true;
                        await SendBodyAsync(context, connection, framing);
                    }
                    stage = Stage.ResponseHead;
                    // The wait for the answer (a long-poll's whole life) holds no buffer and no other async frame.
                    await connection.WaitForDataAsync();
                    // The head is kept in the body's reader, not here: this method's state is what a waiting long-poll
                    // holds, and a head (and its awaiter) in it would be 64 bytes more of each (docs/performance.md).
                    body = new ResponseBody(connection, context.Response.BodyWriter, clientAborted);
                    await body.ReadHeadAsync(context.Response, headRequest);
                    stage = Stage.ResponseBody;
                    await body.CopyAsync();
                    abort.Dispose();
                    if (_timeouts.Untrack(connection) && body.Head.KeepAlive && connection.BufferedCount == 0 && !clientAborted.IsCancellationRequested)
                    {
                        endpoint.ReturnIdle(connection);
                    }
                    else
                    {
                        connection.Dispose();
                    }
                    connection = null;
                    return ForwarderError.None;
                }
                catch (Exception e) when (connection!.Reused && !bodyStarted && connection.Received == receivedBefore && !connection.TimedOut
                    && !ClientDeparture.IsGone(context) && stage is Stage.RequestHead or Stage.ResponseHead
                    && ForwardingFailure.Classify(ForwarderError.Request, e) == ForwardingFailureKind.ConnectionReset)
                {
                    // The instance closed an idle connection as this request went out on it: nothing was read from the
                    // client and nothing answered, so it goes once more on a new connection (as SocketsHttpHandler does).
                    abort.Dispose();
                    _timeouts.Untrack(connection);
                    connection.Dispose();
                    connection = null;
                }
            }
        }
        catch (Exception e)
        {
            await abort.DisposeAsync();
            var timedOut = false;
            if (connection is not null)
            {
                timedOut = !_timeouts.Untrack(connection);
                connection.Dispose();
            }
            return Fail(context, stage, e, timedOut, body?.ClientFailed == true);
        }
    }

    private static async ValueTask SendBodyAsync(HttpContext context, BackendConnection connection, RequestBodyFraming framing)
    {
        // Chunked: each piece goes as one chunk, its size line and CRLF around the bytes in the same send.
        const int ChunkPrefix = 18;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkPrefix + BodyBufferSize + 2);
        try
        {
            var source = context.Request.Body;
            var wait = connection.ClientWaitToken(context.RequestAborted);
            while (true)
            {
                int read;
                try
                {
                    read = await source.ReadAsync(buffer.AsMemory(ChunkPrefix, BodyBufferSize), wait);
                }
                catch (Exception e)
                {
                    throw new ClientBodyException(e);
                }
                connection.Touch();
                if (framing == RequestBodyFraming.ContentLength)
                {
                    if (read == 0)
                    {
                        return;
                    }
                    await connection.SendAsync(buffer.AsMemory(ChunkPrefix, read));
                }
                else if (read == 0)
                {
                    await connection.SendAsync(LastChunk);
                    return;
                }
                else
                {
                    var prefix = $"{read:X}\r\n";
                    var start = ChunkPrefix - prefix.Length;
                    System.Text.Encoding.ASCII.GetBytes(prefix, buffer.AsSpan(start));
                    "\r\n"u8.CopyTo(buffer.AsSpan(ChunkPrefix + read));
                    await connection.SendAsync(buffer.AsMemory(start, prefix.Length + read + 2));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reports a failure the way YARP's forwarder does: the error, the status for the answer, the feature.</summary>
    private ForwarderError Fail(HttpContext context, Stage stage, Exception exception, bool timedOut, bool clientFailedInBody)
    {
        var clientGone = ClientDeparture.IsGone(context);
        // Connecting and socket errors surface as SocketException; HttpClient wrapped them, and so does this.
        if (exception is SocketException or ObjectDisposedException && stage != Stage.Connect)
        {
            exception = new HttpIOException(HttpRequestError.Unknown, "The connection to the instance failed.", exception);
        }
        var (error, status) = stage switch
        {
            _ when exception is ClientBodyException client => (
                clientGone ? ForwarderError.RequestBodyCanceled : ForwarderError.RequestBodyClient,
                timedOut ? StatusCodes.Status408RequestTimeout
                    : client.InnerException is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest),
            Stage.ResponseBody when clientGone || clientFailedInBody => (ForwarderError.ResponseBodyClient, StatusCodes.Status502BadGateway),
            Stage.ResponseBody when timedOut => (ForwarderError.ResponseBodyCanceled, StatusCodes.Status502BadGateway),
            Stage.ResponseBody => (ForwarderError.ResponseBodyDestination, StatusCodes.Status502BadGateway),
            _ when clientGone => (stage == Stage.RequestBody ? ForwarderError.RequestBodyCanceled : ForwarderError.RequestCanceled, StatusCodes.Status400BadRequest),
            Stage.RequestBody => (ForwarderError.RequestBodyDestination, timedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway),
            _ when timedOut || exception is OperationCanceledException => (ForwarderError.RequestTimedOut, StatusCodes.Status504GatewayTimeout),
            _ => (ForwarderError.Request, StatusCodes.Status502BadGateway),
        };
        var cause = exception is ClientBodyException ? exception.InnerException! : exception;
        context.Features.Set<IForwarderErrorFeature>(new ForwardingError(error, cause));
        LogFailed(error, cause.GetType().Name);
        if (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = status;
        }
        else
        {
            // Part of the answer is out: the client must not take the truncated answer for a whole one.
            context.Abort();
        }
        return error;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forwarding failed: {Error} ({Exception})")]
    private partial void LogFailed(ForwarderError error, string exception);

    /// <summary>Reading the client's body failed: the client's doing, whatever the exception says.</summary>
    private sealed class ClientBodyException(Exception inner) : Exception("Reading the request body failed.", inner);

    private sealed record ForwardingError(ForwarderError Error, Exception Exception) : IForwarderErrorFeature;
}
