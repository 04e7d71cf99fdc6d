using System.Buffers.Text;
using System.Collections.Frozen;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Matrix.Router.Transport;

/// <summary>How the body of an instance's answer is delimited (RFC 9112 §6.3).</summary>
internal enum ResponseBodyFraming
{
    None,
    ContentLength,
    Chunked,
    UntilClose,
}

/// <summary>
/// An instance's answer head, parsed strictly: anything two parsers could read differently (Content-Length with
/// Transfer-Encoding, differing lengths, a coding other than chunked, folded lines, whitespace before a colon,
/// bytes Kestrel cannot send on) is refused, and the router answers 502 rather than guess. The headers are put on
/// the client's response as they are read, less the hop-by-hop ones; framing is the router's to decide.
/// </summary>
internal struct ResponseHead()
{
    /// <summary>Largest head accepted (SocketsHttpHandler's default MaxResponseHeadersLength).</summary>
    public const int MaxSize = 64 * 1024;

    // Hop-by-hop headers, and the length the router sets itself.
    private static readonly FrozenSet<string> NotCopied =
        HopByHopHeaders.Names.Append(HeaderNames.ContentLength).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    // Names Synapse sends on most answers: matched so that their strings are not allocated again each time.
    private static readonly string[] CommonNames =
    [
        HeaderNames.ContentType, HeaderNames.ContentLength, HeaderNames.Date, HeaderNames.Server, HeaderNames.CacheControl,
        HeaderNames.AccessControlAllowOrigin, HeaderNames.AccessControlAllowMethods, HeaderNames.AccessControlAllowHeaders,
        HeaderNames.AccessControlExposeHeaders, HeaderNames.Connection, HeaderNames.TransferEncoding, HeaderNames.KeepAlive,
        "Cross-Origin-Resource-Policy", HeaderNames.ContentDisposition, HeaderNames.ContentSecurityPolicy, HeaderNames.ETag,
        HeaderNames.LastModified, HeaderNames.Vary, HeaderNames.XContentTypeOptions, HeaderNames.XFrameOptions,
    ];

    // The value last read for each common name (from any instance): most answers repeat them, so their strings are
    // taken again instead of allocated per answer. Shared without a lock: a value is only ever replaced by another.
    private static readonly string?[] LastValues = new string?[CommonNames.Length];

    public int Status { get; private set; }

    public ResponseBodyFraming Framing { get; private set; }

    public long ContentLength { get; private set; } = -1;

    /// <summary>Whether the connection may carry another request after this answer.</summary>
    public bool KeepAlive { get; private set; }

    /// <summary>
    /// Parses a head from <paramref name="bytes"/> if it holds a whole one; returns the bytes it took, or 0 when more
    /// are needed. An informational (1xx) head is parsed and skipped (<see cref="Status"/> &lt; 200) and not copied.
    /// Throws <see cref="HttpRequestException"/> for a head the router will not pass on.
    /// </summary>
    public int Parse(ReadOnlySpan<byte> bytes, HttpResponse? response, bool headRequest)
    {
        var end = HeadLength(bytes);
        if (end == 0)
        {
            return 0;
        }
        var lines = bytes[..end];
        var statusLine = NextLine(ref lines);
        ParseStatusLine(statusLine);
        var informational = Status < 200;
        if (!informational && response is not null)
        {
            response.StatusCode = Status;
        }

        var chunked = false;
        long length = -1;
        var close = false;
        while (true)
        {
            var line = NextLine(ref lines);
            if (line.IsEmpty)
            {
                break;
            }
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                throw Invalid("a folded header line");
            }
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(line[..colon]))
            {
                throw Invalid("a header line that is not 'name: value'");
            }
            var nameBytes = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (value.IndexOfAnyExcept(ValueChars) >= 0)
            {
                throw Invalid("a header value with a control or non-ASCII byte");
            }
            if (Ascii.EqualsIgnoreCase(nameBytes, "Content-Length"u8))
            {
                length = ParseContentLength(value, length);
                continue;
            }
            if (Ascii.EqualsIgnoreCase(nameBytes, "Transfer-Encoding"u8))
            {
                if (chunked || !Ascii.EqualsIgnoreCase(value, "chunked"u8))
                {
                    throw Invalid("a Transfer-Encoding other than one 'chunked'");
                }
                chunked = true;
                continue;
            }
            if (Ascii.EqualsIgnoreCase(nameBytes, "Connection"u8))
            {
                close |= HasCloseToken(value);
                continue;
            }
            if (informational || response is null)
            {
                continue;
            }
            var common = IndexOfCommonName(nameBytes);
            var name = common >= 0 ? CommonNames[common] : Encoding.ASCII.GetString(nameBytes);
            if (!NotCopied.Contains(name))
            {
                response.Headers.Append(name, common >= 0 ? CommonValue(common, value) : Encoding.ASCII.GetString(value));
            }
        }

        if (chunked && length >= 0)
        {
            throw Invalid("both Content-Length and Transfer-Encoding");
        }
        if (informational)
        {
            if (Status == StatusCodes.Status101SwitchingProtocols)
            {
                throw Invalid("a protocol switch the router never asked for");
            }
            return end;
        }

        var http11 = statusLine[7] == (byte)'1';
        if (headRequest || Status is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified)
        {
            Framing = ResponseBodyFraming.None;
        }
        else if (chunked)
        {
            Framing = ResponseBodyFraming.Chunked;
        }
        else if (length >= 0)
        {
            Framing = length == 0 ? ResponseBodyFraming.None : ResponseBodyFraming.ContentLength;
        }
        else
        {
            Framing = ResponseBodyFraming.UntilClose;
        }
        ContentLength = length;
        KeepAlive = http11 && !close && Framing != ResponseBodyFraming.UntilClose;
        // A 204 has no body, so no Content-Length (RFC 9110 §8.6): a non-zero one would make Kestrel turn it into a 500.
        if (response is not null && length >= 0 && Status != StatusCodes.Status204NoContent)
        {
            response.ContentLength = length;
        }
        return end;
    }

    /// <summary>The length of the head up to and including its empty line, or 0 if it is not all there yet.</summary>
    private static int HeadLength(ReadOnlySpan<byte> bytes)
    {
        var position = 0;
        while (true)
        {
            var newline = bytes[position..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (bytes.Length >= MaxSize)
                {
                    throw new HttpRequestException(HttpRequestError.ConfigurationLimitExceeded, $"The answer's head is larger than {MaxSize} bytes.");
                }
                return 0;
            }
            var lineLength = newline;
            position += newline + 1;
            if (position > MaxSize)
            {
                throw new HttpRequestException(HttpRequestError.ConfigurationLimitExceeded, $"The answer's head is larger than {MaxSize} bytes.");
            }
            // The empty line ending the head (an empty first line is found malformed by the parse).
            if (lineLength == 0 || (lineLength == 1 && bytes[position - 2] == (byte)'\r'))
            {
                return position;
            }
        }
    }

    /// <summary>The next line without its line end (CRLF, or a bare LF as RFC 9112 §2.2 lets a recipient accept).</summary>
    private static ReadOnlySpan<byte> NextLine(ref ReadOnlySpan<byte> lines)
    {
        var newline = lines.IndexOf((byte)'\n');
        var line = lines[..newline];
        lines = lines[(newline + 1)..];
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }
        if (line.Contains((byte)'\r'))
        {
            throw Invalid("a bare CR in its head");
        }
        return line;
    }

    private void ParseStatusLine(ReadOnlySpan<byte> line)
    {
        // HTTP/1.x SP 3DIGIT [SP reason]
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[7] is not ((byte)'0' or (byte)'1') || line[8] != (byte)' '
            || !Utf8Parser.TryParse(line.Slice(9, 3), out int status, out var consumed) || consumed != 3
            || status is < 100 or > 599 || (line.Length > 12 && line[12] != (byte)' '))
        {
            throw Invalid("a malformed status line");
        }
        Status = status;
    }

    private static long ParseContentLength(ReadOnlySpan<byte> value, long previous)
    {
        // "5" or "5, 5" (RFC 9110 §8.6 lets a recipient take a list of one repeated value); every value must agree.
        long length = previous;
        foreach (var range in value.Split((byte)','))
        {
            var item = value[range].Trim(" \t"u8);
            if (item.IsEmpty || item.Length > 18 || item.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0
                || !Utf8Parser.TryParse(item, out long parsed, out _) || (length >= 0 && parsed != length))
            {
                throw Invalid("an unusable or conflicting Content-Length");
            }
            length = parsed;
        }
        return length;
    }

    private static bool HasCloseToken(ReadOnlySpan<byte> value)
    {
        foreach (var range in value.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(value[range].Trim(" \t"u8), "close"u8))
            {
                return true;
            }
        }
        return false;
    }

    // tchar (RFC 9110 §5.6.2).
    private static bool IsToken(ReadOnlySpan<byte> name) => name.IndexOfAnyExcept(TokenChars) < 0;

    // field-vchar and SP/HTAB, ASCII only: Kestrel sends nothing else on.
    private static readonly System.Buffers.SearchValues<byte> ValueChars =
        System.Buffers.SearchValues.Create(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\t"u8);

    private static readonly System.Buffers.SearchValues<byte> TokenChars =
        System.Buffers.SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private static int IndexOfCommonName(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < CommonNames.Length; i++)
        {
            if (CommonNames[i].Length == name.Length && Ascii.EqualsIgnoreCase(name, CommonNames[i]))
            {
                return i;
            }
        }
        return -1;
    }

    private static string CommonValue(int name, ReadOnlySpan<byte> value)
    {
        if (Volatile.Read(ref LastValues[name]) is { } last && Ascii.Equals(value, last))
        {
            return last;
        }
        var read = Encoding.ASCII.GetString(value);
        Volatile.Write(ref LastValues[name], read);
        return read;
    }

    private static HttpRequestException Invalid(string what) =>
        new(HttpRequestError.InvalidResponse, $"The instance's answer has {what}.");
}
