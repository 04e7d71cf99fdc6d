using System.Diagnostics.CodeAnalysis;
using System.Text.Unicode;

namespace Matrix.Stack.Routing;

/// <summary>
/// Turns a raw HTTP request target into the one form the route matcher sees and the Synapse process receives,
/// or says why it must be refused with 400. The router and the CLI's <c>explain</c> share it, so a path can never
/// be matched one way and served another.
/// <list type="bullet">
/// <item>Runs of slashes collapse to one (<c>//_matrix//client</c> is <c>/_matrix/client</c>).</item>
/// <item>Percent-encoded unreserved characters are decoded (<c>%63lient</c> is <c>client</c>) and other escapes get
/// upper-case hex, so one request has one spelling.</item>
/// <item>Encoded slashes (<c>%2F</c>) stay encoded, inside their segment: event IDs of room versions 1-3 and state
/// keys legitimately contain them, and Synapse never treats them as separators either.</item>
/// <item>Refused: dot segments (<c>.</c>, <c>..</c>, encoded or not; Synapse does not resolve them, so resolving
/// them here would reach an API the raw path does not), invalid percent-encoding, percent-encoded bytes that are not
/// UTF-8, encoded NUL, backslashes, raw control, space or non-ASCII characters, and targets that are not a path.</item>
/// </list>
/// The query is kept as sent; only its percent-encoding and characters are checked.
/// </summary>
public static class MatrixPathNormalizer
{
    /// <summary>A normalised request target: <see cref="Value"/> is <c>PATH</c> or <c>PATH?QUERY</c>.</summary>
    public readonly struct NormalizedTarget(string value, int pathLength)
    {
        /// <summary>The path and, after a '?', the query: what is forwarded.</summary>
        public string Value { get; } = value;

        public int PathLength { get; } = pathLength;

        public ReadOnlySpan<char> Path => Value.AsSpan(0, PathLength);

        /// <summary>The query without its '?', empty when there is none.</summary>
        public ReadOnlySpan<char> Query => PathLength < Value.Length ? Value.AsSpan(PathLength + 1) : [];

        public override string ToString() => Value;
    }

    /// <summary>
    /// Normalises <paramref name="requestTarget"/> (origin form <c>/path?query</c>, or absolute form
    /// <c>http://host/path?query</c>). Allocates nothing when the target is already canonical origin form.
    /// </summary>
    public static bool TryNormalize(string requestTarget, out NormalizedTarget target, [NotNullWhen(false)] out string? rejectReason)
    {
        target = default;
        if (string.IsNullOrEmpty(requestTarget))
        {
            rejectReason = "the request target is empty";
            return false;
        }

        var start = 0;
        if (requestTarget[0] != '/')
        {
            var scheme = requestTarget.IndexOf("://", StringComparison.Ordinal);
            if (scheme <= 0 || !IsHttpScheme(requestTarget.AsSpan(0, scheme)))
            {
                rejectReason = "the request target must be a path starting with '/'";
                return false;
            }
            var pathStart = requestTarget.IndexOfAny(['/', '?'], scheme + 3);
            if (pathStart < 0 || requestTarget[pathStart] != '/')
            {
                rejectReason = "the absolute request target has no path";
                return false;
            }
            start = pathStart;
        }

        var queryStart = requestTarget.IndexOf('?', start);
        var pathEnd = queryStart < 0 ? requestTarget.Length : queryStart;
        var path = requestTarget.AsSpan(start, pathEnd - start);
        var query = queryStart < 0 ? ReadOnlySpan<char>.Empty : requestTarget.AsSpan(queryStart + 1);

        if (!CheckPath(path, out var needsRewrite, out rejectReason) || !CheckQuery(query, out rejectReason))
        {
            return false;
        }

        if (!needsRewrite)
        {
            var value = start == 0 ? requestTarget : requestTarget[start..];
            target = new NormalizedTarget(value, path.Length);
            return true;
        }

        var rewritten = Rewrite(path, out var rewrittenLength);
        target = queryStart < 0
            ? new NormalizedTarget(rewritten, rewrittenLength)
            : new NormalizedTarget(string.Concat(rewritten, "?", query), rewrittenLength);
        return true;
    }

    private static bool IsHttpScheme(ReadOnlySpan<char> scheme) =>
        scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase);

    // Validates the path and finds whether it is already canonical. Dot segments are judged on the decoded
    // segment so that %2E%2E counts as "..".
    private static bool CheckPath(ReadOnlySpan<char> path, out bool needsRewrite, [NotNullWhen(false)] out string? rejectReason)
    {
        needsRewrite = false;
        var segmentDots = 0;
        var segmentOther = false;
        var previousSlash = false;
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '/')
            {
                if (IsDotSegment(segmentDots, segmentOther))
                {
                    rejectReason = "the path contains a dot segment ('.' or '..')";
                    return false;
                }
                needsRewrite |= previousSlash;
                previousSlash = true;
                segmentDots = 0;
                segmentOther = false;
                continue;
            }
            previousSlash = false;
            if (c == '%')
            {
                if (i + 2 >= path.Length || !IsHex(path[i + 1]) || !IsHex(path[i + 2]))
                {
                    rejectReason = "the path has invalid percent-encoding (a '%' must be followed by two hex digits)";
                    return false;
                }
                var escapesEnd = EndOfEscapeRun(path, i);
                if (!DecodedEscapesAreUtf8(path[i..escapesEnd]))
                {
                    rejectReason = "the path has percent-encoded bytes that are not valid UTF-8";
                    return false;
                }
                for (; i < escapesEnd; i += 3)
                {
                    var decoded = (char)((HexValue(path[i + 1]) << 4) | HexValue(path[i + 2]));
                    if (decoded == '\0')
                    {
                        rejectReason = "the path contains an encoded NUL (%00)";
                        return false;
                    }
                    needsRewrite |= IsUnreserved(decoded) || IsLowerHexLetter(path[i + 1]) || IsLowerHexLetter(path[i + 2]);
                    if (decoded == '.')
                    {
                        segmentDots++;
                    }
                    else
                    {
                        segmentOther = true;
                    }
                }
                i--;
                continue;
            }
            if (c <= ' ' || c >= '\x7f')
            {
                rejectReason = c > '\x7f'
                    ? "the path contains a non-ASCII character (it must be percent-encoded)"
                    : "the path contains a control character or a space";
                return false;
            }
            if (c == '\\')
            {
                rejectReason = "the path contains a backslash";
                return false;
            }
            if (c == '#')
            {
                rejectReason = "the request target contains a fragment ('#')";
                return false;
            }
            if (c == '.')
            {
                segmentDots++;
            }
            else
            {
                segmentOther = true;
            }
        }
        if (IsDotSegment(segmentDots, segmentOther))
        {
            rejectReason = "the path contains a dot segment ('.' or '..')";
            return false;
        }
        rejectReason = null;
        return true;
    }

    private static bool IsDotSegment(int dots, bool other) => !other && dots is 1 or 2;

    private static bool CheckQuery(ReadOnlySpan<char> query, [NotNullWhen(false)] out string? rejectReason)
    {
        for (var i = 0; i < query.Length; i++)
        {
            var c = query[i];
            if (c == '%' && (i + 2 >= query.Length || !IsHex(query[i + 1]) || !IsHex(query[i + 2])))
            {
                rejectReason = "the query has invalid percent-encoding (a '%' must be followed by two hex digits)";
                return false;
            }
            if (c <= ' ' || c >= '\x7f' || c == '#')
            {
                rejectReason = "the query contains a character that must be percent-encoded";
                return false;
            }
        }
        rejectReason = null;
        return true;
    }

    private static int EndOfEscapeRun(ReadOnlySpan<char> path, int i)
    {
        while (i + 2 < path.Length && path[i] == '%' && IsHex(path[i + 1]) && IsHex(path[i + 2]))
        {
            i += 3;
        }
        return i;
    }

    // A run of consecutive escapes must decode to valid UTF-8: multi-byte characters are always escaped
    // byte by byte, and overlong forms (%C0%AE for '.') must not slip past the dot-segment check.
    private static bool DecodedEscapesAreUtf8(ReadOnlySpan<char> escapes)
    {
        var count = escapes.Length / 3;
        Span<byte> small = stackalloc byte[Math.Min(count, 256)];
        var bytes = count <= small.Length ? small[..count] : new byte[count];
        var ascii = true;
        for (var k = 0; k < count; k++)
        {
            bytes[k] = (byte)((HexValue(escapes[3 * k + 1]) << 4) | HexValue(escapes[3 * k + 2]));
            ascii &= bytes[k] < 0x80;
        }
        return ascii || Utf8.IsValid(bytes);
    }

    private static string Rewrite(ReadOnlySpan<char> path, out int length)
    {
        Span<char> buffer = path.Length <= 512 ? stackalloc char[path.Length] : new char[path.Length];
        var n = 0;
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '/')
            {
                if (n > 0 && buffer[n - 1] == '/')
                {
                    continue;
                }
                buffer[n++] = c;
            }
            else if (c == '%')
            {
                var decoded = (char)((HexValue(path[i + 1]) << 4) | HexValue(path[i + 2]));
                if (IsUnreserved(decoded))
                {
                    buffer[n++] = decoded;
                }
                else
                {
                    buffer[n++] = '%';
                    buffer[n++] = char.ToUpperInvariant(path[i + 1]);
                    buffer[n++] = char.ToUpperInvariant(path[i + 2]);
                }
                i += 2;
            }
            else
            {
                buffer[n++] = c;
            }
        }
        length = n;
        return new string(buffer[..n]);
    }

    // RFC 3986 section 2.3: these are equivalent whether encoded or not.
    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static bool IsLowerHexLetter(char c) => c is >= 'a' and <= 'f';

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
