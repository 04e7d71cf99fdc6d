namespace Matrix.Tests.Stack.Schema;

/// <summary>One way an instance breaks its schema.</summary>
/// <param name="Path">Where in the instance, as a JSON pointer (<c>/listeners/0/type</c>); empty for the root.</param>
public sealed record SchemaError(string Path, string Message)
{
    public override string ToString() => $"{(Path.Length == 0 ? "/" : Path)}: {Message}";
}
