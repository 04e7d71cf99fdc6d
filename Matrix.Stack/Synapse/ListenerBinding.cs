using System.Net;
using Matrix.Stack.Model;

namespace Matrix.Stack.Synapse;

/// <summary>The addresses every Synapse listener binds.</summary>
public static class ListenerBinding
{
    /// <summary>
    /// Loopback only when every process shares a loopback host (a local run); otherwise Synapse's own default,
    /// IPv6 and IPv4 (Synapse ignores the IPv4 bind failing when <c>::</c> already covers it).
    /// </summary>
    public static IReadOnlyList<object?> Addresses(SynapseOptions options) =>
        IsLoopback(options.InstanceHost) ? ["::1", "127.0.0.1"] : ["::", "0.0.0.0"];

    /// <summary>
    /// One address for the metrics listener: Synapse starts it with prometheus_client's own server, which does not
    /// ignore the IPv4 bind failing after <c>::</c> (Synapse 1.160 exits with "Address already in use"). IPv4, which
    /// every Prometheus set-up reaches.
    /// </summary>
    public static IReadOnlyList<object?> MetricsAddresses(SynapseOptions options) =>
        IsLoopback(options.InstanceHost) ? ["127.0.0.1"] : ["0.0.0.0"];

    private static bool IsLoopback(string host) =>
        host == "localhost" || IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
}
