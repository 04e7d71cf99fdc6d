namespace Matrix.AppHost.Files;

/// <summary>A generated configuration file (no secret value in it), by its path under the directory it is delivered to.</summary>
/// <param name="RelativePath">For example <c>homeserver.yaml</c> or <c>workers/synchrotron-1.yaml</c>.</param>
public sealed record GeneratedFile(string RelativePath, string Contents)
{
    /// <summary>A ConfigMap key for the file: keys cannot hold '/' (<c>workers__synchrotron-1.yaml</c>).</summary>
    public string ConfigMapKey => RelativePath.Replace("/", "__", StringComparison.Ordinal);

    /// <summary>The files of one component folder (<c>coturn</c>) of a rendering, with paths relative to it.</summary>
    public static IReadOnlyList<GeneratedFile> Of(IEnumerable<Matrix.Stack.Rendering.RenderedFile> files, string component) =>
        files.Where(file => file.Component == component)
            .Select(file => new GeneratedFile(file.Path[(component.Length + 1)..], file.Content))
            .ToList();
}
