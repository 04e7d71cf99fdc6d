namespace Matrix.Stack.Rendering;

public enum RenderedFileKind
{
    /// <summary>Configuration that holds no secret value (secrets are referenced by path or environment).</summary>
    Config,

    /// <summary>A file meant to hold a secret: written with owner-only permissions, never logged.</summary>
    Secret,
}
