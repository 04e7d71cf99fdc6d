namespace Matrix.AppHost;

/// <summary>An image reference split the way Aspire's container resources take it.</summary>
public sealed record ContainerImage(string Registry, string Name, string Tag)
{
    public string Reference => $"{Registry}/{Name}:{Tag}";

    /// <summary><c>registry/name:tag</c>, the registry being the part before the first '/' (it holds a '.' or ':' or is <c>localhost</c>).</summary>
    public static bool TryParse(string? reference, out ContainerImage image)
    {
        image = null!;
        if (string.IsNullOrWhiteSpace(reference) || reference.Any(char.IsWhiteSpace))
        {
            return false;
        }
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        var colon = reference.LastIndexOf(':');
        if (slash <= 0 || colon <= slash + 1 || colon == reference.Length - 1)
        {
            return false;
        }
        var registry = reference[..slash];
        if (!registry.Contains('.', StringComparison.Ordinal) && !registry.Contains(':', StringComparison.Ordinal) && registry != "localhost")
        {
            return false;
        }
        image = new ContainerImage(registry, reference[(slash + 1)..colon], reference[(colon + 1)..]);
        return true;
    }
}
