using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Matrix.Tests.Infrastructure;

namespace Matrix.Tests.Stack.Mas;

/// <summary>
/// MAS's own configuration schema (<c>../shared/conformance/mas-config.schema.json</c>, MAS main branch after v1.22.0),
/// evaluated with JsonSchema.Net: MAS's schema uses keywords (minimum, maximum...) the project's own Synapse validator
/// does not implement.
/// </summary>
public static class MasConfigSchema
{
    public const string FileName = "mas-config.schema.json";

    // JsonSchema.Net registers every schema it loads by its base URI and refuses to register one twice: load once.
    private static readonly ConcurrentDictionary<string, JsonSchema> Loaded = new(StringComparer.Ordinal);

    /// <summary>Every error of <paramref name="config"/>; skips the calling test, saying why, when ../shared is absent.</summary>
    public static IReadOnlyList<string> Errors(JsonNode config)
    {
        var schema = Loaded.GetOrAdd(RepositoryPaths.ConformanceFile(FileName), path => JsonSchema.FromFile(path));
        using var document = JsonDocument.Parse(config.ToJsonString());
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : (result.Details ?? [])
                .Where(detail => detail.Errors is { Count: > 0 })
                .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation} ({detail.EvaluationPath}): {error.Value}"))
                .DefaultIfEmpty("invalid (no details)")
                .ToList();
    }

    /// <summary>The names of the top-level properties the schema defines (MAS ignores others silently, so tests reject them).</summary>
    public static IReadOnlySet<string> TopLevelProperties()
    {
        var root = JsonNode.Parse(File.ReadAllText(RepositoryPaths.ConformanceFile(FileName)))!;
        return root["properties"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
    }
}
