using System.Globalization;
using System.Net;
using Matrix.Stack.Catalog;
using Matrix.Stack.Layout;
using Matrix.Stack.Model;

namespace Matrix.Stack.Mas;

/// <summary>The URLs that tie MAS and Synapse together; both configs and the client discovery documents take them from here.</summary>
public static class MasEndpoints
{
    /// <summary>MAS's health resource, served on its internal listener (and its web listener, for the router's health checks).</summary>
    public const string HealthPath = "/health";

    /// <summary>MAS's public base with a trailing slash: its OIDC issuer.</summary>
    public static string PublicBase(MasOptions mas) =>
        mas.PublicBaseUrl is { } url ? (url.EndsWith('/') ? url : url + "/")
            : throw new InvalidOperationException("mas.publicBaseUrl is not set (validation reports it)");

    /// <summary>Where Synapse reaches MAS (its <c>matrix_authentication_service.endpoint</c>): MAS's web listener inside the deployment.</summary>
    public static string Internal(MasOptions mas) =>
        string.Create(CultureInfo.InvariantCulture, $"http://{mas.Host}:{mas.HttpPort}/");

    /// <summary>Where MAS reaches Synapse (its <c>matrix.endpoint</c>): the setting, else the first mas-helper worker, else main.</summary>
    public static string Homeserver(StackOptions options, SynapseLayout layout)
    {
        if (options.Mas.HomeserverEndpoint is { } configured)
        {
            return configured.EndsWith('/') ? configured : configured + "/";
        }
        var instance = layout.InstancesOf(PoolType.MasHelper).FirstOrDefault() ?? layout.Main;
        return string.Create(CultureInfo.InvariantCulture, $"http://{instance.Host}:{instance.HttpPort}/");
    }

    /// <summary>Where a browser manages its MAS account (advertised to clients as <c>account</c>).</summary>
    public static string Account(MasOptions mas) => PublicBase(mas) + "account/";

    /// <summary>
    /// A local run: MAS on <c>localhost</c>, a <c>*.localhost</c> name (RFC 6761: always loopback) or a loopback
    /// address. Only there may its public base be plain http.
    /// </summary>
    public static bool IsLocal(Uri url) =>
        url.IsLoopback
        || url.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || url.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>
    /// The path prefix the router sends to MAS when MAS shares the homeserver's public host and port
    /// (<c>https://matrix.example.org/auth/</c> gives <c>/auth/</c>); null when MAS has a host of its own, which the
    /// ingress sends to MAS directly.
    /// </summary>
    public static string? SharedHostPathPrefix(StackOptions options)
    {
        if (!options.Mas.Enabled || options.Mas.PublicBaseUrl is null
            || !Uri.TryCreate(options.Mas.PublicBaseUrl, UriKind.Absolute, out var mas)
            || !Uri.TryCreate(options.EffectivePublicBaseUrl, UriKind.Absolute, out var homeserver)
            || !mas.Host.Equals(homeserver.Host, StringComparison.OrdinalIgnoreCase) || mas.Port != homeserver.Port)
        {
            return null;
        }
        return mas.AbsolutePath.EndsWith('/') ? mas.AbsolutePath : mas.AbsolutePath + "/";
    }
}
