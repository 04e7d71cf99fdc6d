namespace Matrix.Router.Transport;

/// <summary>
/// A forwarded request's activity timeout (<c>Router:Limits:ActivityTimeout</c>): cancelled when the request makes no
/// progress either way for that long, or when the client goes away. Every send or receive restarts it.
/// </summary>
internal sealed class ActivityTimer : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly TimeSpan _timeout;
    private readonly CancellationToken _clientAborted;

    public ActivityTimer(CancellationToken clientAborted, TimeSpan timeout)
    {
        _clientAborted = clientAborted;
        _timeout = timeout;
        _source = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        _source.CancelAfter(timeout);
    }

    public CancellationToken Token => _source.Token;

    /// <summary>Whether the timeout, not the client, ended the request.</summary>
    public bool TimedOut => _source.IsCancellationRequested && !_clientAborted.IsCancellationRequested;

    public void Restart() => _source.CancelAfter(_timeout);

    public void Dispose() => _source.Dispose();
}
