namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// The port of each endpoint in the cluster. A Service exposes the container's own port (port = targetPort), so the
/// URL other pods use (<c>http://synapse-main:8008</c>) is the one the generated config files already contain. A .NET
/// project's endpoint has no fixed port in the model; it listens on 8080 (the first), 8081... (Aspire's
/// <c>HTTP_PORTS</c> variable carries the choice to Kestrel).
/// </summary>
public static class KubernetesPorts
{
    public const int FirstProjectPort = 8080;

    public static int Of(EndpointAnnotation endpoint, IResource owner) => endpoint.TargetPort
        ?? FirstProjectPort + owner.Annotations.OfType<EndpointAnnotation>().Where(e => e.TargetPort is null).ToList().IndexOf(endpoint);

    /// <summary>A container port name: at most 15 characters, lower-case letters, digits and '-'.</summary>
    public static string Name(EndpointAnnotation endpoint)
    {
        var name = endpoint.Name.ToLowerInvariant();
        if (name.Length > 15 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') || !name.Any(char.IsAsciiLetterLower))
        {
            throw new InvalidOperationException($"endpoint '{endpoint.Name}' cannot name a Kubernetes port (at most 15 characters: a-z, 0-9, '-')");
        }
        return name;
    }

    public static string Protocol(EndpointAnnotation endpoint) =>
        endpoint.Protocol == System.Net.Sockets.ProtocolType.Udp ? "UDP" : "TCP";
}
