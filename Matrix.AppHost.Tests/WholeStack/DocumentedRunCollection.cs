namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// README's run (<see cref="DocumentedRunTests"/>) starts a whole stack of its own with <c>dotnet run</c>. It runs
/// alone, after every parallel collection (the whole-stack fixture's stack among them) has finished, so two stacks never
/// compete for the machine, and without the fixture's stack, which it does not use.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DocumentedRunCollection
{
    public const string Name = "documented run";
}
