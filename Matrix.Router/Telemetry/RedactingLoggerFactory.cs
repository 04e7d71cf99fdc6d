using Microsoft.Extensions.Logging;

namespace Matrix.Router.Telemetry;

/// <summary>Wraps the logger factory so every logger in the process, ASP.NET Core's and YARP's included, redacts secrets.</summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}
