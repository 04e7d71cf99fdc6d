using System.Text.Json.Nodes;
using Matrix.Tests.Infrastructure;
using Matrix.Tests.Stack.Schema;

namespace Matrix.Tests.Stack.Synapse;

/// <summary>
/// Synapse's own configuration schema (<c>../shared/conformance/synapse-config.schema.yaml</c>, v1.157) with two
/// documented overlays (<c>Stack/Schema/*.overlay.json</c>, each saying why in its <c>$comment</c>), and nothing
/// else changed: <c>synapse-config.strict.overlay.json</c> refuses top-level options the schema does not define;
/// <c>synapse-config.multi-writer.overlay.json</c> lets the three multi-writer streams be a list.
/// Schemas are loaded once per test run: JsonSchema.Net registers each by <c>$id</c> and refuses one twice.
/// </summary>
public static class SynapseConfigSchema
{
    public const string FileName = "synapse-config.schema.yaml";
    public const string StrictOverlay = "synapse-config.strict.overlay.json";
    public const string MultiWriterOverlay = "synapse-config.multi-writer.overlay.json";

    private static readonly Uri StrictId = new("https://matrix-stack.invalid/schema/synapse-config.strict.json");
    private static readonly Uri WithOverlaysId = new("https://matrix-stack.invalid/schema/synapse-config.strict.multi-writer.json");
    private static readonly Uri ListenerId = new("https://matrix-stack.invalid/schema/synapse-config.listener.json");

    private static readonly Lazy<SchemaValidator> StrictValidator = new(() => SchemaValidator.Load(Strict(), StrictId));
    private static readonly Lazy<SchemaValidator> Validator = new(() => SchemaValidator.Load(WithOverlays(), WithOverlaysId));
    private static readonly Lazy<SchemaValidator> Listener = new(() =>
    {
        _ = Validator.Value;
        return SchemaValidator.Reference(WithOverlaysId, ListenerItemPointer, ListenerId);
    });

    public const string ListenerItemPointer = "/properties/listeners/items";

    /// <summary>The streams the multi-writer overlay widens (docs/workers.md lets several workers write them).</summary>
    public static IReadOnlyList<string> MultiWriterStreams =>
        [.. SchemaOverlay.Read(MultiWriterOverlay)["properties"]!["stream_writers"]!["properties"]!.AsObject().Select(p => p.Key)];

    /// <summary>The schema as published (skips the test, saying why, when ../shared is absent).</summary>
    public static JsonObject LoadPublished() =>
        YamlJson.ParseObject(File.ReadAllText(RepositoryPaths.ConformanceFile(FileName)));

    /// <summary>The published schema under the strict overlay only: generated files against it.</summary>
    public static SchemaValidator PublishedStrict() => StrictValidator.Value;

    /// <summary>Both overlays: what every generated file must satisfy.</summary>
    public static SchemaValidator WithOverlaysValidator() => Validator.Value;

    /// <summary>One <c>listeners</c> entry of the overlaid schema (Synapse parses <c>worker_listeners</c> entries the same way).</summary>
    public static SchemaValidator ListenerValidator() => Listener.Value;

    private static JsonObject Strict()
    {
        var schema = LoadPublished();
        SchemaOverlay.Apply(schema, SchemaOverlay.Read(StrictOverlay));
        return schema;
    }

    private static JsonObject WithOverlays()
    {
        var schema = Strict();
        var streams = schema["properties"]?["stream_writers"]?["properties"] as JsonObject
            ?? throw new InvalidDataException("the schema no longer defines stream_writers.properties: revisit the overlay");
        foreach (var stream in MultiWriterStreams)
        {
            // Only ever widen the exact shape the overlay was written for.
            if (streams[stream] is not JsonObject property || property["type"]?.GetValue<string>() != "string" || property.ContainsKey("items"))
            {
                throw new InvalidDataException($"stream_writers.{stream} is no longer a plain string in the schema: revisit {MultiWriterOverlay}");
            }
        }
        SchemaOverlay.Apply(schema, SchemaOverlay.Read(MultiWriterOverlay));
        return schema;
    }
}
