using Matrix.AppHost.Media;
using Matrix.AppHost.Tests.Infrastructure;
using Matrix.Stack.Presets;

namespace Matrix.AppHost.Tests.Model;

/// <summary>The local media folder is one per checkout (as the database volume is one per AppHost), not one per machine.</summary>
public sealed class HostMediaStoreTests
{
    [Fact]
    public async Task TheJanitorAndSynapseShareTheMediaFolderOfThisCheckout()
    {
        await using var builder = await AppHostFactory.CreateAsync(StackPresets.Monolith);
        var janitor = builder.Get<ProjectResource>(MediaJanitorExtensions.ResourceName);
        var environment = await janitor.EnvironmentAsync(builder.ExecutionContext);
        var expected = MediaStorageExtensions.DefaultHostMediaStore(Path.Combine(AppHostPaths.Root, "Matrix.AppHost"));
        Assert.Equal(expected, environment["Janitor__MediaStore__Path"]);
        Assert.True(Directory.Exists(expected), $"{expected} was not created");
        Assert.Contains(Path.GetFileName(AppHostPaths.Root), expected, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoCheckoutsGetTwoFoldersAndOneCheckoutAlwaysTheSame()
    {
        var first = MediaStorageExtensions.DefaultHostMediaStore("/src/one/matrix/Matrix.AppHost");
        var second = MediaStorageExtensions.DefaultHostMediaStore("/src/two/matrix/Matrix.AppHost");
        Assert.NotEqual(first, second);
        Assert.Equal(first, MediaStorageExtensions.DefaultHostMediaStore("/src/one/matrix/Matrix.AppHost/"));
    }

    [Fact]
    public async Task MatrixMediaStoreHostPathStillOverridesIt()
    {
        var chosen = Directory.CreateTempSubdirectory("matrix-media-").FullName;
        try
        {
            await using var builder = await AppHostFactory.CreateAsync(StackPresets.Monolith, $"--{MediaStorageExtensions.HostPathKey}={chosen}");
            var environment = await builder.Get<ProjectResource>(MediaJanitorExtensions.ResourceName).EnvironmentAsync(builder.ExecutionContext);
            Assert.Equal(chosen, environment["Janitor__MediaStore__Path"]);
        }
        finally
        {
            Directory.Delete(chosen, recursive: true);
        }
    }
}
