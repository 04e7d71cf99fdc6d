using Microsoft.Extensions.Logging;

namespace Matrix.Router.Telemetry;

/// <summary>
/// Wraps the logger factory so every logger in the process, ASP.NET Core's and YARP's included, redacts secrets; YARP's
/// forwarder logs client aborts at Debug (<see cref="ClientErrorLogger"/>).
/// </summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return new RedactingLogger(ClientErrorLogger.Handles(categoryName) ? new ClientErrorLogger(logger) : logger);
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}
