using System.Threading.Channels;
using Matrix.MediaJanitor.State;

namespace Matrix.MediaJanitor.Offload;

/// <summary>
/// Records fully offloaded media in batches from one writer. A crash loses at most the last batch, and those media
/// are simply re-checked (HEAD) by the next run.
/// </summary>
public sealed class StateRecorder
{
    private const int BatchSize = 500;
    private readonly Channel<OffloadedMedia> _channel = Channel.CreateBounded<OffloadedMedia>(new BoundedChannelOptions(10_000) { SingleReader = true });
    private readonly JanitorStateStore _store;
    private readonly Task _writer;

    public StateRecorder(JanitorStateStore store, CancellationToken ct)
    {
        _store = store;
        _writer = Task.Run(() => WriteAsync(ct), CancellationToken.None);
    }

    /// <summary>Queues a record; if the writer has failed the record is dropped (the next run re-checks that media).</summary>
    public async ValueTask RecordAsync(OffloadedMedia media, CancellationToken ct)
    {
        try
        {
            await _channel.Writer.WriteAsync(media, ct);
        }
        catch (ChannelClosedException)
        {
        }
    }

    /// <summary>Flushes what is queued and surfaces any write failure.</summary>
    public async Task CompleteAsync()
    {
        _channel.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteAsync(CancellationToken ct)
    {
        var batch = new List<OffloadedMedia>(BatchSize);
        var reader = _channel.Reader;
        try
        {
            while (await reader.WaitToReadAsync(ct))
            {
                while (batch.Count < BatchSize && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }
                await _store.RecordOffloadedAsync(batch, ct);
                batch.Clear();
            }
        }
        catch (Exception ex)
        {
            // Unblock the workers; CompleteAsync reports the failure.
            _channel.Writer.TryComplete(ex);
            throw;
        }
    }
}
