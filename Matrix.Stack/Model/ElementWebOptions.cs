namespace Matrix.Stack.Model;

/// <summary>Element Web, configured for this homeserver.</summary>
public sealed class ElementWebOptions
{
    public bool Enabled { get; set; } = true;

    public string Brand { get; set; } = "Element";

    /// <summary>Where Element is served; defaults to <c>https://element.{ServerName}/</c>.</summary>
    public string? PublicUrl { get; set; }
}
