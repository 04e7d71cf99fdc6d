namespace Matrix.Router.Configuration;

/// <summary>
/// Configuration defaults placed beneath every other source, so appsettings, environment variables and the command
/// line all override them. Per-request framework logs are off by default: at 10k requests per second they cost more
/// than the forwarding, and the router's metrics say the same thing.
/// </summary>
internal static class RouterDefaults
{
    public static IEnumerable<KeyValuePair<string, string?>> Configuration { get; } =
    [
        new("Logging:LogLevel:Default", "Information"),
        new("Logging:LogLevel:Microsoft.AspNetCore", "Warning"),
        new("Logging:LogLevel:Yarp", "Warning"),
        new("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information"),
    ];
}
