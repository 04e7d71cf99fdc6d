using Matrix.Router.Routing;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Matrix.Router.Telemetry;

/// <summary>
/// YARP's forwarder logs every client that goes away mid-request (an abandoned upload, a closed app) as a Warning with
/// its stack trace: any client could fill the log that way. Those entries (YARP's client-side errors) are passed on at
/// Debug without the exception; the router counts them (<c>matrix.router.client_aborts</c>). Everything else passes
/// unchanged.
/// </summary>
internal sealed class ClientErrorLogger(ILogger inner) : ILogger
{
    public const string Category = "Yarp.ReverseProxy.Forwarder.HttpForwarder";

    public static bool Handles(string category) => category == Category;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel > LogLevel.Debug && IsClientError(state))
        {
            logLevel = LogLevel.Debug;
            exception = null;
        }
        if (inner.IsEnabled(logLevel))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }

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
