using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;

namespace Matrix.Router.Routing;

/// <summary>
/// The incoming request body as the forwarder reads it, read from the server's <see cref="PipeReader"/>
/// (<c>HttpRequest.BodyReader</c>). It knows whether any of the body was read: a request whose body was never touched
/// can be sent to another instance after a failed connect; one whose body was (partly) sent never is. And whether all
/// of it was read: a failure while the client is still sending is no evidence against the instance (Synapse aborts a
/// body it will not take, and the client chose that body). And it can end a read still waiting for the client
/// (<see cref="EndAsync"/>) so that no request ends with one pending.
/// </summary>
/// <remarks>
/// Why not Kestrel's own body stream: a read of it that is cancelled (by its token, as the forwarder's activity timeout
/// or a client abort does, or by <see cref="PipeReader.CancelPendingRead"/>) throws without completing the read on
/// the body reader, which then stays "reading" for good; Kestrel's drain of the rest of the body at the end of the
/// request fails on it and logs an Error ("automatic draining of the request body failed because the body reader is
/// in an invalid state"), one per stalled or abandoned upload, which any client could repeat at will. Here a read is
/// never cancelled by a token: the token cancels the pending read, whose cancelled result is completed
/// (<see cref="PipeReader.AdvanceTo(SequencePosition)"/>) before the cancellation is reported.
/// </remarks>
public sealed class RequestBodyWatch(PipeReader source) : Stream
{
    private readonly Lock _gate = new();
    private Task<int>? _pendingRead;
    private bool _ended;

    public bool Touched { get; private set; }

    /// <summary>The client's body was read to its end.</summary>
    public bool Completed { get; private set; }

    /// <summary>Part of the body was read, not all of it: the client was still sending.</summary>
    public bool InProgress => Touched && !Completed;

    /// <summary>
    /// A read failed because the client's connection broke (reset). Kestrel leaves its body reader mid-read then, and
    /// learns of the broken connection only a moment later: the request has to be aborted, not ended, or Kestrel
    /// tries to drain the body and logs an Error for the reader's state.
    /// </summary>
    public bool ClientGone { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    // Kestrel refuses synchronous body reads (AllowSynchronousIO is off), and so does this.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The request body is read asynchronously only.");

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Touched = true;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_ended, this);
            var read = source.ReadAsync(CancellationToken.None);
            if (read.IsCompletedSuccessfully)
            {
                return new ValueTask<int>(Take(read.Result, buffer.Span, cancellationToken));
            }
            var pending = AwaitReadAsync(read, buffer, cancellationToken);
            _pendingRead = pending;
            return new ValueTask<int>(pending);
        }
    }

    // Only a read that has to wait for the client pays for a state machine and a token registration.
    private async Task<int> AwaitReadAsync(ValueTask<ReadResult> read, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ReadResult result;
        using (cancellationToken.UnsafeRegister(static reader => ((PipeReader)reader!).CancelPendingRead(), source))
        {
            try
            {
                result = await read.ConfigureAwait(false);
            }
            catch (IOException e) when (e is not BadHttpRequestException)
            {
                // A broken connection (a malformed body is a BadHttpRequestException, which Kestrel answers with a 400).
                ClientGone = true;
                throw;
            }
        }
        return Take(result, buffer.Span, cancellationToken);
    }

    // Copies what fits and completes the read on the reader, whatever its result (cancelled included).
    private int Take(ReadResult result, Span<byte> buffer, CancellationToken cancellationToken)
    {
        var available = result.Buffer;
        if (result.IsCanceled)
        {
            source.AdvanceTo(available.Start);
            throw new OperationCanceledException("The read of the request body was cancelled.", cancellationToken);
        }
        var count = (int)Math.Min(buffer.Length, available.Length);
        available.Slice(0, count).CopyTo(buffer);
        source.AdvanceTo(available.GetPosition(count));
        Completed |= count == 0 && buffer.Length > 0 && result.IsCompleted;
        return count;
    }

    /// <summary>
    /// Ends the forwarder's use of the body: later reads fail at once, and a read still waiting for the client is
    /// cancelled and awaited. YARP returns a failure without waiting for its copy of the body, whose read may still wait
    /// for a client that stalls or has gone. Kestrel then drains what remains of the body (or gives up on it after its
    /// drain timeout) as for any body an application did not read.
    /// </summary>
    public async Task EndAsync()
    {
        Task<int>? pending;
        lock (_gate)
        {
            _ended = true;
            pending = _pendingRead is { IsCompleted: false } read ? read : null;
            if (pending is not null)
            {
                source.CancelPendingRead();
            }
        }
        if (pending is not null)
        {
            // Its outcome went to the forwarder's copy; here it only has to be over.
            await ((Task)pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
