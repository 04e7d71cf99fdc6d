namespace Matrix.Tests.Router.Forwarding;

/// <summary>
/// The start line and header lines of one HTTP/1.1 message as they were on the wire (Latin-1, so every byte is one
/// char). Header names are compared trimmed and case-insensitively: the leniency of the most forgiving peer, which is
/// the one a smuggled message would fool.
/// </summary>
public sealed record WireHead(string StartLine, IReadOnlyList<string> Lines)
{
    public string Method => StartLine.Split(' ')[0];

    public string Target => StartLine.Split(' ') is { Length: > 1 } parts ? parts[1] : "";

    /// <summary>The status of a response head, 0 when the start line has none.</summary>
    public int Status => StartLine.Split(' ') is { Length: > 1 } parts && int.TryParse(parts[1], out var status) ? status : 0;

    public IEnumerable<string> Values(string name) => Lines
        .Select(l => l.Split(':', 2))
        .Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
        .Select(p => p[1].Trim());

    public bool Has(string name) => Values(name).Any();

    /// <summary>Chunked by the lenient reading: any Transfer-Encoding value that mentions chunked.</summary>
    public bool IsChunked => Values("Transfer-Encoding").Any(v => v.Contains("chunked", StringComparison.OrdinalIgnoreCase));

    public long? ContentLength => Values("Content-Length").Select(v => long.TryParse(v, out var n) ? n : (long?)null).FirstOrDefault();

    /// <summary>Framing that two honest parsers could read differently: both kinds, or several lengths, or a transfer coding other than exactly chunked.</summary>
    public bool HasAmbiguousFraming =>
        (Has("Transfer-Encoding") && Has("Content-Length"))
        || Values("Content-Length").Distinct().Count() > 1
        || Values("Transfer-Encoding").Any(v => !v.Equals("chunked", StringComparison.Ordinal))
        || Values("Transfer-Encoding").Count() > 1;

    public override string ToString() => string.Join("\\r\\n", [StartLine, .. Lines]);
}
