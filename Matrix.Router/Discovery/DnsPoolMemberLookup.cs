using System.Net;

namespace Matrix.Router.Discovery;

/// <summary>The system resolver (in Kubernetes: cluster DNS, where a headless service name returns every ready pod).</summary>
public sealed class DnsPoolMemberLookup : IPoolMemberLookup
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}
