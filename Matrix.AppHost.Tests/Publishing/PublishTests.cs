using System.Text.Json;
using Json.Schema;
using Matrix.AppHost.Tests.Infrastructure;

namespace Matrix.AppHost.Tests.Publishing;

/// <summary>Publishing to a temporary folder: the Helm chart with our Kubernetes customizations, and a valid manifest.</summary>
public sealed class PublishTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("matrix-publish-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public async Task The_chart_holds_every_process_and_what_the_generic_publisher_cannot_know()
    {
        await Publisher.PublishChartAsync(_output);

        Assert.True(File.Exists(Path.Combine(_output, "Chart.yaml")));
        Assert.True(File.Exists(Path.Combine(_output, "values.yaml")));
        var templates = Path.Combine(_output, "templates");

        // The janitor runs as a CronJob with --once; the bucket is created by a Job.
        var janitor = ReadAll(Path.Combine(templates, "media-janitor"));
        Assert.Contains("kind: CronJob", janitor, StringComparison.Ordinal);
        Assert.Contains("--once", janitor, StringComparison.Ordinal);
        Assert.DoesNotContain("kind: Deployment", janitor, StringComparison.Ordinal);
        Assert.Contains("kind: Job", ReadAll(Path.Combine(templates, "minio-bucket")), StringComparison.Ordinal);

        // Multi-instance pools carry a disruption budget; UDP media components use the node's network.
        Assert.Contains("kind: PodDisruptionBudget", ReadAll(Path.Combine(templates, "synapse-synchrotron-1")), StringComparison.Ordinal);
        Assert.Contains("hostNetwork: true", ReadAll(Path.Combine(templates, "coturn")), StringComparison.Ordinal);
        Assert.Contains("hostNetwork: true", ReadAll(Path.Combine(templates, "livekit")), StringComparison.Ordinal);

        // Config files arrive as a ConfigMap volume, secrets as a volume of the generated Secret; probes and sizing are set.
        var main = ReadAll(Path.Combine(templates, "synapse-main"));
        Assert.Contains("synapse-main-files", main, StringComparison.Ordinal);
        Assert.Contains("synapse-main-secrets", main, StringComparison.Ordinal);
        Assert.Contains("readinessProbe", main, StringComparison.Ordinal);
        Assert.Contains("memory:", main, StringComparison.Ordinal);
        Assert.DoesNotContain(AppHostFactory.SecretValue("macaroon-secret-key"), main, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fresh_manifest_validates_against_the_aspire_schema()
    {
        var schemaPath = AppHostPaths.ConformanceFile("aspire-8.0.json");
        var manifest = Path.Combine(_output, "aspire-manifest.json");
        await Publisher.PublishManifestAsync(manifest);

        AssertValid(schemaPath, manifest);
    }

    [Fact]
    public async Task The_committed_manifest_validates_against_the_aspire_schema()
    {
        var schemaPath = AppHostPaths.ConformanceFile("aspire-8.0.json");
        var committed = Path.Combine(AppHostPaths.CommittedOutput, "aspire-manifest.json");
        Assert.SkipUnless(File.Exists(committed), $"{committed} is not committed yet (see aspire-manifest/README.md); the drift test reports it.");

        AssertValid(schemaPath, committed);
        await Task.CompletedTask;
    }

    internal static void AssertValid(string schemaPath, string manifestPath)
    {
        var schema = JsonSchema.FromFile(schemaPath);
        using var document = JsonDocument.Parse(File.ReadAllText(manifestPath));
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (result.Details ?? [])
            .Where(detail => detail.Errors is { Count: > 0 })
            .SelectMany(detail => detail.Errors!.Select(error => $"{error.Key}: {error.Value}"))
            .ToList();
        Assert.True(result.IsValid, $"{manifestPath} does not match {schemaPath}:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    }

    private static string ReadAll(string directory) =>
        string.Join("\n", Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllText));
}
