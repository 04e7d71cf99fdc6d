namespace Matrix.Router.Configuration;

/// <summary>
/// Configuration defaults placed beneath every other source, so appsettings, environment variables and the command
/// line all override them. Per-request framework logs are off by default: at 10k requests per second they cost more
/// than the forwarding, and the router's metrics say the same thing. ASP.NET Core's hosting diagnostics are off
/// entirely: while that category is enabled at any level, ASP.NET Core starts an activity and a log scope for every
/// request even when nothing records them (unhandled errors are still logged by Kestrel; with OpenTelemetry
/// tracing on, the activities are created for the tracer).
/// </summary>
internal static class RouterDefaults
{
    public static IEnumerable<KeyValuePair<string, string?>> Configuration { get; } =
    [
        new("Logging:LogLevel:Default", "Information"),
        new("Logging:LogLevel:Microsoft.AspNetCore", "Warning"),
        new("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "None"),
        new("Logging:LogLevel:Yarp", "Warning"),
        new("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information"),
    ];
}
