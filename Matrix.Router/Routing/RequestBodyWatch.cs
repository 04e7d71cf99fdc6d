namespace Matrix.Router.Routing;

/// <summary>
/// Wraps the incoming request body to know whether any of it was read: a request whose body was never touched can
/// be sent to another instance after a failed connect; one whose body was (partly) sent never is. And whether all of
/// it was read: a failure while the client is still sending is no evidence against the instance (Synapse aborts a
/// body it will not take, and the client chose that body).
/// </summary>
public sealed class RequestBodyWatch(Stream inner) : Stream
{
    public bool Touched { get; private set; }

    /// <summary>The client's body was read to its end.</summary>
    public bool Completed { get; private set; }

    /// <summary>Part of the body was read, not all of it: the client was still sending.</summary>
    public bool InProgress => Touched && !Completed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        Touched = true;
        var read = inner.Read(buffer, offset, count);
        Completed |= read == 0 && count > 0;
        return read;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Touched = true;
        var read = inner.ReadAsync(buffer, cancellationToken);
        if (read.IsCompletedSuccessfully)
        {
            var count = read.Result;
            Completed |= count == 0 && buffer.Length > 0;
            return new ValueTask<int>(count);
        }
        return AwaitReadAsync(read, buffer.Length);
    }

    // Only a read that has to wait for the client pays for a state machine, and only it can be left pending.
    private async ValueTask<int> AwaitReadAsync(ValueTask<int> read, int length)
    {
        Volatile.Write(ref _reading, true);
        try
        {
            var count = await read;
            Completed |= count == 0 && length > 0;
            return count;
        }
        finally
        {
            Volatile.Write(ref _reading, false);
        }
    }

    /// <summary>
    /// Waits (briefly, on failure paths only) for a read the forwarder left pending: if the request ends while one is,
    /// Kestrel logs an Error for each such request ("automatic draining of the request body failed"), which a client
    /// that breaks off its uploads could repeat at will. A pending read ends as soon as the client sends or goes away.
    /// </summary>
    public async Task SettleAsync(TimeSpan limit)
    {
        var deadline = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        while (Volatile.Read(ref _reading) && Environment.TickCount64 < deadline)
        {
            await Task.Delay(5);
        }
    }

    private bool _reading;

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        Touched = true;
        await inner.CopyToAsync(destination, bufferSize, cancellationToken);
        Completed = true;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
