namespace Matrix.AppHost.Tests.Publishing;

/// <summary>
/// Publishes the AppHost exactly as the documented commands do (aspire-manifest/regenerate.sh): the Aspire manifest
/// through the manifest publisher, the Kubernetes folder through the <c>publish-kubernetes</c> pipeline step.
/// </summary>
public static class Publisher
{
    /// <summary>The preset the committed output is generated with.</summary>
    public const string Preset = "full";

    /// <summary>The server name the committed output is published for (publishing refuses to guess one).</summary>
    public const string ServerName = "example.org";

    public static async Task PublishManifestAsync(string manifestPath) =>
        await RunAsync(Preset, ["--publisher", "manifest", "--output-path", manifestPath]);

    /// <summary>Writes <c>kubernetes/</c> under <paramref name="outputDirectory"/>; <paramref name="extraArguments"/> are more settings.</summary>
    public static async Task<string> PublishKubernetesAsync(string outputDirectory, string preset = Preset, params string[] extraArguments)
    {
        await RunAsync(preset, ["--operation", "publish", "--step", "publish-kubernetes", "--output-path", outputDirectory, .. extraArguments]);
        return Path.Combine(outputDirectory, "kubernetes");
    }

    private static async Task RunAsync(string preset, string[] arguments)
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        // Secrets are left out on purpose: a published model must not need (or contain) their values.
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Matrix_AppHost>(
            [$"--Matrix:Preset={preset}", $"--Matrix:Settings:serverName={ServerName}", .. arguments], cancellation.Token);
        await using var app = await builder.BuildAsync(cancellation.Token);
        // In publish mode the application runs the pipeline and stops by itself.
        await app.RunAsync(cancellation.Token);
    }
}
