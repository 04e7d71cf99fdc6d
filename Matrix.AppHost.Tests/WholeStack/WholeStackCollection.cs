namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// The whole-stack test classes share one running stack (starting it takes minutes, and two at once would compete for
/// the machine); their tests run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WholeStackCollection : ICollectionFixture<WholeStackFixture>
{
    public const string Name = "whole stack";
}
