using System.Net;

namespace Matrix.Router.Security;

/// <summary>Who sent a request, as far as the router can tell: the address and scheme it tells Synapse.</summary>
public readonly record struct ClientInfo(IPAddress Address, string Scheme);
