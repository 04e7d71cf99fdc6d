namespace Matrix.MediaJanitor.Storage;

/// <summary>
/// S3 requests in a row that could not reach the endpoint at all. Only a request that succeeded resets it: work that
/// needed no request (a file already offloaded and absent locally) says nothing about whether S3 is up, so a run
/// that meets many such files during an outage must still see the outage.
/// </summary>
public sealed class TransportFailureStreak
{
    private int _length;

    /// <summary>Transport failures since the last request that succeeded.</summary>
    public int Length => Volatile.Read(ref _length);

    /// <summary>A request succeeded (for HEAD, "no such object" is a success). An error status neither resets nor counts.</summary>
    public void Succeeded() => Interlocked.Exchange(ref _length, 0);

    public void Unreachable() => Interlocked.Increment(ref _length);
}
