using System.Text;

namespace Matrix.Tests.Router.Forwarding;

/// <summary>
/// Reads HTTP/1.1 messages off a raw stream without normalising anything, and keeps a transcript of every byte read.
/// Lines end at LF (a CR before it is dropped): as lenient as a forgiving backend, so a message the router lets
/// through in a form a strict parser would refuse still shows up here.
/// </summary>
public sealed class WireReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly MemoryStream _transcript = new();
    private int _start;
    private int _end;

    /// <summary>Every byte read from the stream so far, Latin-1.</summary>
    public string Transcript
    {
        get
        {
            lock (_transcript)
            {
                return Encoding.Latin1.GetString(_transcript.ToArray());
            }
        }
    }

    /// <summary>The next line without its line ending; null at the end of the stream before any byte of it.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new MemoryStream();
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                line.Write(_buffer, _start, lf - _start);
                _start = lf + 1;
                var text = Encoding.Latin1.GetString(line.ToArray());
                return text.EndsWith('\r') ? text[..^1] : text;
            }
            line.Write(_buffer, _start, _end - _start);
            _start = _end;
            if (!await FillAsync(cancellationToken))
            {
                return line.Length == 0 ? null : throw new IOException($"the stream ended inside a line: {Encoding.Latin1.GetString(line.ToArray())}");
            }
        }
    }

    /// <summary>The next message head; null when the stream ends cleanly before one starts.</summary>
    public async Task<WireHead?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var start = await ReadLineAsync(cancellationToken);
        if (start is null)
        {
            return null;
        }
        var lines = new List<string>();
        while (await ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                return new WireHead(start, lines);
            }
            lines.Add(line);
        }
        throw new IOException($"the stream ended inside the head of {start}");
    }

    /// <summary>
    /// The body that follows <paramref name="head"/>: none when <paramref name="bodiless"/> (a HEAD, 1xx, 204 or 304
    /// answer), else chunked before Content-Length (RFC 9112 §6.3), else to the end of the stream when
    /// <paramref name="toEndWithoutLength"/> (a response), else none (a request).
    /// </summary>
    public async Task<WireBody> ReadBodyAsync(WireHead head, bool bodiless, bool toEndWithoutLength, CancellationToken cancellationToken)
    {
        if (bodiless)
        {
            return WireBody.None;
        }
        var body = new MemoryStream();
        try
        {
            if (head.IsChunked)
            {
                var trailers = new List<string>();
                var complete = await ReadChunkedAsync(body, trailers, cancellationToken);
                return new WireBody(body.ToArray(), "chunked", trailers, complete);
            }
            if (head.ContentLength is { } length)
            {
                var complete = await CopyAsync(body, length, cancellationToken);
                return new WireBody(body.ToArray(), "length", [], complete);
            }
            if (toEndWithoutLength)
            {
                await CopyAsync(body, long.MaxValue, cancellationToken);
                return new WireBody(body.ToArray(), "eof", [], true);
            }
            return WireBody.None;
        }
        catch (IOException)
        {
            // Reset mid-body: what arrived, marked as cut short.
            return new WireBody(body.ToArray(), head.IsChunked ? "chunked" : head.ContentLength is null ? "eof" : "length", [], false);
        }
    }

    private async Task<bool> ReadChunkedAsync(MemoryStream body, List<string> trailers, CancellationToken cancellationToken)
    {
        while (await ReadLineAsync(cancellationToken) is { } sizeLine)
        {
            var size = long.Parse(sizeLine.Split(';')[0].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            if (size == 0)
            {
                while (await ReadLineAsync(cancellationToken) is { Length: > 0 } trailer)
                {
                    trailers.Add(trailer);
                }
                return true;
            }
            if (!await CopyAsync(body, size, cancellationToken) || await ReadLineAsync(cancellationToken) is not "")
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>Copies <paramref name="count"/> bytes; false when the stream ended first.</summary>
    private async Task<bool> CopyAsync(MemoryStream destination, long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                return false;
            }
            var n = (int)Math.Min(count, _end - _start);
            destination.Write(_buffer, _start, n);
            _start += n;
            count -= n;
        }
        return true;
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, cancellationToken);
        lock (_transcript)
        {
            _transcript.Write(_buffer, 0, _end);
        }
        return _end > 0;
    }
}
