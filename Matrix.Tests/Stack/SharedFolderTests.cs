using Matrix.Tests.Infrastructure;

namespace Matrix.Tests.Stack;

public class SharedFolderTests
{
    [Fact]
    public void RepositoryRootHoldsTheSolution()
    {
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "Matrix.sln")));
    }
}
