namespace Matrix.Stack.Routing;

/// <summary>Expands a catalog route template's alternations (<c>{r0|v3}</c>) into plain segment lists.</summary>
internal static class RouteTemplate
{
    public const string AnySegment = "*";
    public const string RestOfPath = "**";

    public static IEnumerable<string[]> Expand(string template)
    {
        var open = template.IndexOf('{');
        if (open < 0)
        {
            if (!template.StartsWith('/'))
            {
                throw new FormatException($"route template '{template}' must start with '/'");
            }
            var segments = template[1..].Split('/');
            var rest = Array.IndexOf(segments, RestOfPath);
            if (rest >= 0 && rest != segments.Length - 1)
            {
                throw new FormatException($"route template '{template}': '**' may only end a template");
            }
            yield return segments;
            yield break;
        }
        var close = template.IndexOf('}', open);
        if (close < 0)
        {
            throw new FormatException($"route template '{template}' has an unclosed '{{'");
        }
        foreach (var alternative in template[(open + 1)..close].Split('|'))
        {
            foreach (var expanded in Expand(template[..open] + alternative + template[(close + 1)..]))
            {
                yield return expanded;
            }
        }
    }
}
