using System.Net.Http;
using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;

namespace Matrix.Router.Routing;

/// <summary>What went wrong with a forwarded request, as far as retry and passive health care.</summary>
public enum ForwardingFailureKind
{
    /// <summary>Not the instance's fault (the client went away, a bad request body...).</summary>
    Other,

    /// <summary>No connection could be made: nothing was sent, so any request may go elsewhere.</summary>
    ConnectFailed,

    /// <summary>
    /// The instance reset or closed the connection mid-request: a transport failure (counted by the passive health
    /// policy); only a GET or HEAD with no answer yet sent to the client is repeated.
    /// </summary>
    ConnectionReset,
}

public static class ForwardingFailure
{
    public static ForwardingFailureKind Classify(ForwarderError error, Exception? exception)
    {
        if (error is not (ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.ResponseHeaders
            or ForwarderError.ResponseBodyDestination or ForwarderError.RequestBodyDestination))
        {
            return ForwardingFailureKind.Other;
        }
        for (var e = exception; e is not null; e = e.InnerException ?? (e as AggregateException)?.InnerExceptions.FirstOrDefault())
        {
            switch (e)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }:
                    return ForwardingFailureKind.ConnectFailed;
                // SocketsHttpHandler reports its ConnectTimeout as a cancellation wrapping a TimeoutException.
                case OperationCanceledException { InnerException: TimeoutException } when error == ForwarderError.RequestTimedOut:
                    return ForwardingFailureKind.ConnectFailed;
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable }:
                    return ForwardingFailureKind.ConnectFailed;
                // A timed-out request's connection is aborted by the router itself, and the socket error that abort
                // leaves (aborted, reset, ended) is no sign the instance broke it: a timeout is neither retried nor
                // counted as a transport failure (under load either error could surface, making 504 or 503 a race).
                case SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown }
                    when error != ForwarderError.RequestTimedOut:
                    return ForwardingFailureKind.ConnectionReset;
                case HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } when error != ForwarderError.RequestTimedOut:
                case HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded } when error != ForwarderError.RequestTimedOut:
                    return ForwardingFailureKind.ConnectionReset;
            }
        }
        return ForwardingFailureKind.Other;
    }

    /// <summary>
    /// Whether the error lies with the instance (or the way to it), as opposed to the client: clients cancel
    /// long-polls all the time, and that is no failure of the synchrotron.
    /// A request that could not even be built (<see cref="ForwarderError.RequestCreation"/>: an unusable Host, say)
    /// never reached the instance and is the client's doing.
    public static bool IsInstanceSide(ForwarderError error) =>
        error is ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.RequestBodyDestination
            or ForwarderError.ResponseHeaders or ForwarderError.ResponseBodyDestination;

    /// <summary>The client went away or broke off its body: YARP's client-side errors.</summary>
    public static bool IsClientSide(ForwarderError error) =>
        error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
            or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient;

    /// <summary>A short description for the status page and logs: exception types and socket errors only, no URLs.</summary>
    public static string Describe(ForwarderError error, Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return $"{error}: {socket.SocketErrorCode}";
            }
            if (e is HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http)
            {
                return $"{error}: {http.HttpRequestError}";
            }
        }
        return exception is null ? error.ToString() : $"{error}: {exception.GetType().Name}";
    }
}
