using Matrix.AppHost.Routing;
using Matrix.AppHost.Tests.Infrastructure;
using Matrix.Stack.Presets;

namespace Matrix.AppHost.Tests.Model;

/// <summary>The router's endpoint is on a fixed host port in a local run (README: the URL to give clients), overridable.</summary>
public sealed class RouterPortTests
{
    [Fact]
    public async Task TheRouterListensOnItsDocumentedDefaultPort()
    {
        await using var builder = await AppHostFactory.CreateAsync(StackPresets.Monolith);
        var endpoint = builder.Get<ProjectResource>(MatrixRouterExtensions.ResourceName).Endpoint(MatrixRouterExtensions.HttpEndpoint);
        Assert.Equal(RouterHostPort.Default, endpoint.Port);
        Assert.True(endpoint.IsExternal);
        var readme = File.ReadAllText(Path.Combine(AppHostPaths.Root, "README.md"));
        Assert.Contains($"http://localhost:{RouterHostPort.Default}", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MatrixRouterPortOverridesTheDefault()
    {
        await using var builder = await AppHostFactory.CreateAsync(StackPresets.Monolith, $"--{RouterHostPort.ConfigurationKey}=28123");
        Assert.Equal(28123, builder.Get<ProjectResource>(MatrixRouterExtensions.ResourceName).Endpoint(MatrixRouterExtensions.HttpEndpoint).Port);
    }

    [Theory]
    [InlineData("http")]
    [InlineData("0")]
    [InlineData("70000")]
    public async Task AnUnusablePortIsRefusedNamingTheSetting(string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AppHostFactory.CreateAsync(StackPresets.Monolith, $"--{RouterHostPort.ConfigurationKey}={value}"));
        var messages = string.Join(" | ", Flatten(error).Select(e => e.Message));
        Assert.Contains($"{RouterHostPort.ConfigurationKey} '{value}'", messages, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Flatten(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
