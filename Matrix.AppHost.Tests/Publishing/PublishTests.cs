using System.Text.Json;
using Json.Schema;
using Matrix.AppHost.Tests.Infrastructure;

namespace Matrix.AppHost.Tests.Publishing;

/// <summary>The Aspire manifest, freshly published and as committed, against the manifest schema in ../shared.</summary>
public sealed class PublishTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("matrix-publish-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public async Task AFreshManifestValidatesAgainstTheAspireSchema()
    {
        var schemaPath = AppHostPaths.ConformanceFile("aspire-8.0.json");
        var manifest = Path.Combine(_output, "aspire-manifest.json");
        await Publisher.PublishManifestAsync(manifest);

        AssertValid(schemaPath, manifest);
    }

    [Fact]
    public async Task TheCommittedManifestValidatesAgainstTheAspireSchema()
    {
        var schemaPath = AppHostPaths.ConformanceFile("aspire-8.0.json");
        var committed = Path.Combine(AppHostPaths.CommittedOutput, "aspire-manifest.json");
        Assert.SkipUnless(File.Exists(committed), $"{committed} is not committed yet (see aspire-manifest/README.md); the drift test reports it.");

        AssertValid(schemaPath, committed);
        await Task.CompletedTask;
    }

    // JsonSchema.Net registers every schema it loads by its $id, and refuses to register one twice.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonSchema> Schemas = new(StringComparer.Ordinal);

    internal static void AssertValid(string schemaPath, string manifestPath)
    {
        var schema = Schemas.GetOrAdd(schemaPath, path => JsonSchema.FromFile(path));
        using var document = JsonDocument.Parse(File.ReadAllText(manifestPath));
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (result.Details ?? [])
            .Where(detail => detail.Errors is { Count: > 0 })
            .SelectMany(detail => detail.Errors!.Select(error => $"{error.Key}: {error.Value}"))
            .ToList();
        Assert.True(result.IsValid, $"{manifestPath} does not match {schemaPath}:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    }
}
