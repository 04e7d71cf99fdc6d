namespace Matrix.AppHost.Tests.Publishing;

/// <summary>
/// Publishes the AppHost exactly as the documented command does (aspire-manifest/regenerate.sh): the Aspire manifest
/// through the manifest publisher.
/// </summary>
public static class Publisher
{
    /// <summary>The preset the committed output is generated with.</summary>
    public const string Preset = "full";

    public static async Task PublishManifestAsync(string manifestPath) =>
        await RunAsync(["--publisher", "manifest", "--output-path", manifestPath]);

    private static async Task RunAsync(string[] arguments)
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        // Secrets are left out on purpose: a published model must not need (or contain) their values.
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Matrix_AppHost>(
            [$"--Matrix:Preset={Preset}", .. arguments], cancellation.Token);
        await using var app = await builder.BuildAsync(cancellation.Token);
        // In publish mode the application runs the pipeline and stops by itself.
        await app.RunAsync(cancellation.Token);
    }
}
