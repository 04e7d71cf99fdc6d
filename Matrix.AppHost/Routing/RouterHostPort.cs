using Microsoft.Extensions.Configuration;

namespace Matrix.AppHost.Routing;

/// <summary>
/// The host port of the router's <c>http</c> endpoint in a local run: fixed, so clients, bookmarks and
/// <c>matrix-stack create-user --url</c> keep working across restarts. <c>Matrix:Router:Port</c> overrides it.
/// </summary>
/// <remarks>
/// 18008: Synapse's well-known 8008 moved out of the ports a developer's own Synapse, web servers (80xx) and the
/// stack itself use (coturn 3478, its relay range 49160-49200, the dashboard's 15180/19180/20180), and below Linux's
/// ephemeral range (32768-60999), so no outgoing connection takes it first.
/// </remarks>
public static class RouterHostPort
{
    public const string ConfigurationKey = "Matrix:Router:Port";
    public const int Default = 18008;

    /// <exception cref="InvalidOperationException">The setting is not a port number; the message names it.</exception>
    public static int Read(IConfiguration configuration)
    {
        var value = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return Default;
        }
        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new InvalidOperationException($"{ConfigurationKey} '{value}' is not a TCP port (1-65535); leave it out for {Default}");
    }
}
