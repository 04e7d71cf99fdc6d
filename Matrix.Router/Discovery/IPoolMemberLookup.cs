using System.Net;

namespace Matrix.Router.Discovery;

/// <summary>
/// Looks up the addresses behind a pool member's host name, each of which becomes one instance (DNS; replaceable where
/// DNS cannot be controlled). Not YARP's IDestinationResolver: YARP never sees these names, the router expands them.
/// </summary>
public interface IPoolMemberLookup
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
