namespace Matrix.Tests.Stack;

/// <summary>Tests that change the process's current directory (relative paths in documented commands) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CurrentDirectoryCollection
{
    public const string Name = "current directory";
}
