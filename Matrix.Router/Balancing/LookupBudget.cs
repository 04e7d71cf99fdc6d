using System.Net;
using System.Net.Sockets;

namespace Matrix.Router.Balancing;

/// <summary>
/// How many <c>whoami</c> lookups each client address may cause: a token bucket of <c>burst</c> lookups refilled at
/// <c>perMinute</c>. Without it every request with a new random token costs Synapse a lookup. Clients are an IPv4
/// address or an IPv6 /64 (one host can hold a whole /64), hashed with a per-process seed onto a fixed table of
/// buckets: memory is constant whatever the number of clients, and clients sharing a bucket share its budget (a
/// client over budget is balanced by its token's hash, as the <c>access-token</c> balance does, so nothing breaks).
/// </summary>
public sealed class LookupBudget(int burst, double perMinute, TimeProvider time)
{
    private const int Buckets = 4096;

    private readonly Bucket[] _buckets = [.. Enumerable.Range(0, Buckets).Select(_ => new Bucket { Tokens = burst })];
    private readonly int _seed = Random.Shared.Next();

    /// <summary>Takes one lookup from <paramref name="client"/>'s budget; false when it has none left.</summary>
    public bool TryTake(IPAddress client)
    {
        var bucket = _buckets[(uint)HashCode.Combine(_seed, ClientKey(client)) % Buckets];
        var now = time.GetTimestamp();
        lock (bucket)
        {
            if (bucket.Stamp != 0)
            {
                var minutes = time.GetElapsedTime(bucket.Stamp, now).TotalMinutes;
                bucket.Tokens = Math.Min(burst, bucket.Tokens + minutes * perMinute);
            }
            bucket.Stamp = now;
            if (bucket.Tokens < 1)
            {
                return false;
            }
            bucket.Tokens--;
            return true;
        }
    }

    // IPv4: the address; IPv6: its /64.
    private static long ClientKey(IPAddress client)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (client.AddressFamily == AddressFamily.InterNetworkV6 && !client.IsIPv4MappedToIPv6 && client.TryWriteBytes(bytes, out _))
        {
            return BitConverter.ToInt64(bytes[..8]);
        }
        var v4 = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        return v4.TryWriteBytes(bytes, out var written) ? BitConverter.ToUInt32(bytes[..written]) : 0;
    }

    private sealed class Bucket
    {
        public double Tokens;
        public long Stamp;
    }
}
