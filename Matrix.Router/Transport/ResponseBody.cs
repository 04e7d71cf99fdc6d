using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace Matrix.Router.Transport;

/// <summary>
/// Reads an answer from the instance's connection: its head, then its body, copied to the client's response as it
/// arrives, by its framing: a known length, chunks (re-framed by Kestrel; extensions and trailers dropped), or until
/// the instance closes.
/// Bytes go from the socket straight into Kestrel's response pipe where no framing has to be read.
/// </summary>
internal sealed class ResponseBody(BackendConnection connection, PipeWriter client, CancellationToken clientAborted)
{
    // Chunk-size lines and trailer sections longer than this are not an answer Synapse sends.
    private const int MaxLineLength = 4096;
    private const int MaxTrailerLength = 64 * 1024;

    /// <summary>Which side failed when a copy throws: the instance (false) or the client (true).</summary>
    public bool ClientFailed { get; private set; }

    /// <summary>The answer's head, once <see cref="ReadHeadAsync"/> has read it.</summary>
    public ResponseHead Head { get; private set; }

    /// <summary>
    /// Reads the answer's head into <paramref name="response"/> (status and headers) and <see cref="Head"/>, passing
    /// over interim answers: 100 Continue or 103 Early Hints (Kestrel deals with the client's expectations itself).
    /// The caller has waited for the first bytes.
    /// </summary>
    public async ValueTask ReadHeadAsync(HttpResponse response, bool headRequest)
    {
        var head = new ResponseHead();
        var waited = true;
        while (true)
        {
            var taken = connection.BufferedCount == 0 ? 0 : head.Parse(connection.Buffered, response, headRequest);
            if (taken > 0)
            {
                connection.Consume(taken);
                if (head.Status >= 200)
                {
                    Head = head;
                    return;
                }
                head = new ResponseHead();
                continue;
            }
            if (await connection.FillAsync(ResponseHead.MaxSize, waitForData: !waited) == 0)
            {
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "The instance closed the connection before answering.");
            }
            waited = false;
        }
    }

    /// <summary>Copies the body <see cref="Head"/> announces.</summary>
    public async ValueTask CopyAsync()
    {
        var head = Head;
        switch (head.Framing)
        {
            case ResponseBodyFraming.ContentLength:
                await CopyLengthAsync(head.ContentLength);
                break;
            case ResponseBodyFraming.Chunked:
                await CopyChunksAsync();
                break;
            case ResponseBodyFraming.UntilClose:
                await CopyLengthAsync(long.MaxValue);
                break;
        }
    }

    /// <summary>Copies <paramref name="length"/> bytes, or until the end of the stream when it is <see cref="long.MaxValue"/>.</summary>
    private async ValueTask CopyLengthAsync(long length)
    {
        var remaining = length;
        var buffered = connection.BufferedCount;
        if (buffered > 0)
        {
            var take = (int)Math.Min(buffered, remaining);
            client.Write(connection.Buffered[..take]);
            connection.Consume(take);
            remaining -= take;
            await FlushAsync();
        }
        while (remaining > 0)
        {
            var memory = client.GetMemory(16 * 1024);
            if (memory.Length > remaining)
            {
                memory = memory[..(int)remaining];
            }
            var received = await connection.Socket.ReceiveAsync(memory, SocketFlags.None);
            if (received == 0)
            {
                if (length == long.MaxValue)
                {
                    return;
                }
                throw new HttpIOException(HttpRequestError.ResponseEnded, $"The instance closed the connection {remaining} bytes before the end of the answer.");
            }
            connection.Touch();
            client.Advance(received);
            remaining -= received;
            await FlushAsync();
        }
    }

    private async ValueTask CopyChunksAsync()
    {
        while (true)
        {
            var newline = await LineAsync(MaxLineLength);
            var size = ParseChunkSize(LineBefore(newline));
            connection.Consume(newline + 1);
            if (size == 0)
            {
                break;
            }
            await CopyLengthAsync(size);
            newline = await LineAsync(MaxLineLength);
            if (!LineBefore(newline).IsEmpty)
            {
                throw Invalid("chunk data longer than its size");
            }
            connection.Consume(newline + 1);
        }
        // Trailer fields up to the empty line: read, and dropped (Synapse sends none; YARP dropped them too).
        var trailers = 0;
        while (true)
        {
            var newline = await LineAsync(MaxTrailerLength - trailers);
            var empty = LineBefore(newline).IsEmpty;
            connection.Consume(newline + 1);
            if (empty)
            {
                return;
            }
            trailers += newline + 1;
        }
    }

    /// <summary>Receives until the buffered bytes hold a whole line; returns the position of its LF.</summary>
    private async ValueTask<int> LineAsync(int limit)
    {
        var scanned = 0;
        while (true)
        {
            var newline = connection.Buffered[scanned..].IndexOf((byte)'\n');
            if (newline >= 0)
            {
                return scanned + newline;
            }
            scanned = connection.BufferedCount;
            if (scanned > limit)
            {
                throw Invalid("a chunk line or trailer section longer than the router reads");
            }
            if (await connection.FillAsync(limit + 2) == 0)
            {
                throw new HttpIOException(HttpRequestError.ResponseEnded, "The instance closed the connection inside a chunked answer.");
            }
        }
    }

    /// <summary>The buffered line ending at <paramref name="newline"/>, without its CR.</summary>
    private ReadOnlySpan<byte> LineBefore(int newline)
    {
        var line = connection.Buffered[..newline];
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }
        if (line.Contains((byte)'\r'))
        {
            throw Invalid("a bare CR in its chunk framing");
        }
        return line;
    }

    private static long ParseChunkSize(ReadOnlySpan<byte> span)
    {
        // chunk-size [; extensions]: the extensions are ignored (RFC 9112 §7.1.1).
        var semicolon = span.IndexOf((byte)';');
        var hex = (semicolon >= 0 ? span[..semicolon] : span).TrimEnd(" \t"u8);
        if (hex.IsEmpty || hex.Length > 15 || !Utf8Parser.TryParse(hex, out long size, out var consumed, 'X') || consumed != hex.Length)
        {
            throw Invalid("a malformed chunk size");
        }
        return size;
    }

    private async ValueTask FlushAsync()
    {
        ClientFailed = true;
        // A client too slow to take the answer is Kestrel's to end (its minimum response data rate).
        var result = await client.FlushAsync(clientAborted);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new OperationCanceledException("The client went away.");
        }
        connection.Touch();
        ClientFailed = false;
    }

    private static HttpIOException Invalid(string what) => new(HttpRequestError.InvalidResponse, $"The instance's answer has {what}.");
}
