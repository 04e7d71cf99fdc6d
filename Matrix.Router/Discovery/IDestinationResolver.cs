using System.Net;

namespace Matrix.Router.Discovery;

/// <summary>Resolves a destination's host name to addresses (DNS; replaceable where DNS cannot be controlled).</summary>
public interface IDestinationResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
