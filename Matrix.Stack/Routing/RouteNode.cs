namespace Matrix.Stack.Routing;

/// <summary>
/// One segment position of the route trie. Lookups by literal segment go through a span-keyed alternate
/// lookup, so matching never allocates a string.
/// </summary>
internal sealed class RouteNode
{
    private readonly Dictionary<string, RouteNode> _literals = new(StringComparer.Ordinal);
    private Dictionary<string, RouteNode>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private RouteNode? _anySegment;
    private List<RouteEntry> _here = [];
    private List<RouteEntry> _rest = [];
    private RouteEntry[] _hereSorted = [];
    private RouteEntry[] _restSorted = [];

    public void Add(string[] segments, int index, RouteEntry entry)
    {
        if (index == segments.Length)
        {
            _here.Add(entry);
            return;
        }
        var segment = segments[index];
        if (segment == RouteTemplate.RestOfPath)
        {
            _rest.Add(entry);
            return;
        }
        RouteNode child;
        if (segment == RouteTemplate.AnySegment)
        {
            child = _anySegment ??= new RouteNode();
        }
        else if (!_literals.TryGetValue(segment, out child!))
        {
            child = _literals[segment] = new RouteNode();
        }
        child.Add(segments, index + 1, entry);
    }

    /// <summary>Orders entries (most specific first, then catalog order) and prepares span lookups.</summary>
    public void Seal()
    {
        _hereSorted = [.. _here.OrderByDescending(e => e.Specificity).ThenBy(e => e.Order)];
        _restSorted = [.. _rest.OrderByDescending(e => e.Specificity).ThenBy(e => e.Order)];
        _here = [];
        _rest = [];
        _lookup = _literals.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var child in _literals.Values)
        {
            child.Seal();
        }
        _anySegment?.Seal();
    }

    /// <summary>Matches the remaining path (without its leading '/'); null when nothing here matches.</summary>
    public RouteDecision? Match(ReadOnlySpan<char> remaining, ref RouteRequest request) =>
        MatchSegments(remaining, hasSegment: true, ref request);

    private RouteDecision? MatchSegments(ReadOnlySpan<char> remaining, bool hasSegment, ref RouteRequest request)
    {
        if (!hasSegment)
        {
            return First(_hereSorted, ref request);
        }
        var slash = remaining.IndexOf('/');
        var segment = slash < 0 ? remaining : remaining[..slash];
        var next = slash < 0 ? [] : remaining[(slash + 1)..];
        var nextExists = slash >= 0;

        if (_lookup.TryGetValue(segment, out var literal) && literal.MatchSegments(next, nextExists, ref request) is { } byLiteral)
        {
            return byLiteral;
        }
        if (_anySegment?.MatchSegments(next, nextExists, ref request) is { } byAny)
        {
            return byAny;
        }
        return First(_restSorted, ref request);
    }

    private static RouteDecision? First(RouteEntry[] entries, ref RouteRequest request)
    {
        foreach (var entry in entries)
        {
            if (entry.Accepts(ref request))
            {
                return entry.Decision;
            }
        }
        return null;
    }
}
