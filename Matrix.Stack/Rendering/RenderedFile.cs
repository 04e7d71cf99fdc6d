namespace Matrix.Stack.Rendering;

/// <summary>One generated file, by its path relative to the output folder (<c>synapse/homeserver.yaml</c>).</summary>
public sealed record RenderedFile(string Path, string Content, RenderedFileKind Kind = RenderedFileKind.Config)
{
    /// <summary>The component folder the file belongs to (<c>synapse</c>, <c>coturn</c>...).</summary>
    public string Component => Path.Split('/')[0];

    // Never print a secret's content by accident.
    public override string ToString() => Kind == RenderedFileKind.Secret ? $"{Path} (secret)" : Path;
}
