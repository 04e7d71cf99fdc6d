using Matrix.Router.Routing;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Matrix.Router.Telemetry;

/// <summary>
/// YARP's forwarder logs every client that goes away mid-request (an abandoned upload, a closed app) as a Warning with
/// its stack trace: any client could fill the log that way. Those entries (YARP's client-side errors) are passed on at
/// Debug without the exception; the router counts them (<c>matrix.router.client_aborts</c>). So is Kestrel's Error for
/// the same abort when the forwarder's read of the body was still pending as the request ended ("automatic draining of
/// the request body failed"): the client's doing, already counted. Everything else passes unchanged.
/// </summary>
internal sealed class ClientErrorLogger(ILogger inner) : ILogger
{
    public const string Category = "Yarp.ReverseProxy.Forwarder.HttpForwarder";

    public const string KestrelCategory = "Microsoft.AspNetCore.Server.Kestrel";

    // Kestrel's event for a request that ended while its body was being read (KestrelTrace, EventName).
    private const string DrainFailedEvent = "RequestBodyDrainBodyReaderInvalidState";

    private const string DrainFailedText = "automatic draining of the request body failed because the body reader is in an invalid state";

    public static bool Handles(string category) => category is Category or KestrelCategory;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel > LogLevel.Debug && (IsClientError(state) || IsAbandonedBodyDrain(eventId, state)))
        {
            logLevel = LogLevel.Debug;
            exception = null;
        }
        if (inner.IsEnabled(logLevel))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    private static bool IsAbandonedBodyDrain<TState>(EventId eventId, TState state) =>
        eventId.Name == DrainFailedEvent
        || (state is IReadOnlyList<KeyValuePair<string, object?>> values
            && values.Any(v => v.Key == "{OriginalFormat}" && v.Value is string format && format.Contains(DrainFailedText, StringComparison.Ordinal)));

    private static bool IsClientError<TState>(TState state)
    {
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                if (key == "error" && value is ForwarderError error)
                {
                    return ForwardingFailure.IsClientSide(error);
                }
            }
        }
        return false;
    }
}
