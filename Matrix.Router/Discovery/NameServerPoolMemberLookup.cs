using System.Net;
using DnsClient;

namespace Matrix.Router.Discovery;

/// <summary>
/// Asks one name server (<c>Router:Dns:NameServer</c>) for the A and AAAA records of a pool member's host name, for
/// operators whose pools are published by a resolver other than the system's. Nothing is cached, so every refresh
/// sees the records as they are now (a TTL of 0 is honoured), and no search domains are appended: names are asked as
/// written. Errors (no such name, no answer) are thrown as <see cref="DnsResponseException"/>.
/// </summary>
public sealed class NameServerPoolMemberLookup(IPEndPoint nameServer) : IPoolMemberLookup
{
    private readonly LookupClient _client = new(new LookupClientOptions(nameServer)
    {
        UseCache = false,
        ThrowDnsErrors = true,
        // A refresh that waits long only delays the next one; the previous instances stay meanwhile.
        Timeout = TimeSpan.FromSeconds(2),
        Retries = 1,
    });

    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var v4 = _client.QueryAsync(host, QueryType.A, QueryClass.IN, cancellationToken);
        var v6 = _client.QueryAsync(host, QueryType.AAAA, QueryClass.IN, cancellationToken);
        await Task.WhenAll(v4, v6).ConfigureAwait(false);
        return [.. v4.Result.Answers.ARecords().Select(r => r.Address)
            .Concat(v6.Result.Answers.AaaaRecords().Select(r => r.Address))
            .Distinct()];
    }
}
