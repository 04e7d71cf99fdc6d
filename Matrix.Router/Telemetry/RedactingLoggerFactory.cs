using Matrix.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Matrix.Router.Telemetry;

/// <summary>
/// Wraps the logger factory so every logger in the process, ASP.NET Core's and YARP's included, redacts secrets; YARP's
/// forwarder logs client aborts at Debug (<see cref="ClientErrorLogger"/>).
/// </summary>
/// <param name="scopes">
/// Whether log scopes are passed on (<see cref="AreWanted"/>). Kestrel opens one for every connection; it lives, with
/// the execution context it makes, as long as the connection: about 230 bytes of each waiting long-poll, for nothing
/// when no provider writes scopes (docs/performance.md, round 4).
/// </param>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner, bool scopes) : ILoggerFactory
{
    /// <summary>The setting that makes the console logger write scopes (for every formatter).</summary>
    public const string ConsoleScopesSetting = "Logging:Console:FormatterOptions:IncludeScopes";

    /// <summary>
    /// Scopes are written when the console logger is asked to (<see cref="ConsoleScopesSetting"/>, or the older
    /// <c>Logging:Console:IncludeScopes</c>) and when logs are exported over OTLP, which sends them.
    /// </summary>
    public static bool AreWanted(IConfiguration configuration) =>
        configuration.GetValue<bool>(ConsoleScopesSetting)
        || configuration.GetValue<bool>("Logging:Console:IncludeScopes")
        || TelemetryExtensions.ExportsTelemetry(configuration);

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return new RedactingLogger(ClientErrorLogger.Handles(categoryName) ? new ClientErrorLogger(logger) : logger, scopes);
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}
