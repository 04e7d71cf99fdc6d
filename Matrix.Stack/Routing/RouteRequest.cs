namespace Matrix.Stack.Routing;

/// <summary>What route conditions look at besides the path.</summary>
internal ref struct RouteRequest(bool isRead, ReadOnlySpan<char> query)
{
    public readonly bool IsRead = isRead;
    public readonly ReadOnlySpan<char> Query = query;

    /// <summary>Whether the query has <paramref name="name"/> with a non-empty value.</summary>
    public readonly bool HasValue(ReadOnlySpan<char> name) => !Value(name).IsEmpty;

    /// <summary>The raw value of the first <paramref name="name"/> parameter, empty when absent.</summary>
    public readonly ReadOnlySpan<char> Value(ReadOnlySpan<char> name)
    {
        var rest = Query;
        while (!rest.IsEmpty)
        {
            var amp = rest.IndexOf('&');
            var pair = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? [] : rest[(amp + 1)..];
            var eq = pair.IndexOf('=');
            var key = eq < 0 ? pair : pair[..eq];
            if (key.SequenceEqual(name))
            {
                return eq < 0 ? [] : pair[(eq + 1)..];
            }
        }
        return [];
    }
}
