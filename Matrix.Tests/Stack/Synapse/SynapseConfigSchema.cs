using System.Text.Json.Nodes;
using Matrix.Tests.Infrastructure;
using Matrix.Tests.Stack.Schema;

namespace Matrix.Tests.Stack.Synapse;

/// <summary>
/// Synapse's own configuration schema (<c>../shared/conformance/synapse-config.schema.yaml</c>, v1.157) with ONE
/// overlay, and nothing else changed.
/// <para>
/// The overlay: the schema types every <c>stream_writers.&lt;stream&gt;</c> as a string, but Synapse's
/// docs/workers.md documents several writers for three streams, written as a list: "The <c>events</c> stream
/// experimentally supports having multiple writer workers" (with the example <c>events: [event_persister1,
/// event_persister2]</c>), "The <c>receipts</c> stream supports multiple writers", "The <c>device_lists</c> stream
/// supports multiple writers"; synapse/config/workers.py converts a string or a list to a list. So for exactly these
/// three streams a list of strings is also accepted. Single-writer streams (typing, to_device, account_data,
/// presence, push_rules) stay string-only.
/// </para>
/// </summary>
public static class SynapseConfigSchema
{
    public const string FileName = "synapse-config.schema.yaml";

    /// <summary>The streams docs/workers.md lets several workers write.</summary>
    public static readonly IReadOnlyList<string> MultiWriterStreams = ["events", "receipts", "device_lists"];

    public const string ListenerItemPointer = "/properties/listeners/items";

    /// <summary>The schema as published (skips the test, saying why, when ../shared is absent).</summary>
    public static JsonObject LoadPublished() =>
        YamlJson.ParseObject(File.ReadAllText(RepositoryPaths.ConformanceFile(FileName)));

    /// <summary>The published schema with the multi-writer overlay applied.</summary>
    public static JsonObject LoadWithOverlay()
    {
        var schema = LoadPublished();
        var streams = schema["properties"]?["stream_writers"]?["properties"] as JsonObject
            ?? throw new InvalidDataException("the schema no longer defines stream_writers.properties: revisit the overlay");
        foreach (var stream in MultiWriterStreams)
        {
            var property = streams[stream] as JsonObject
                ?? throw new InvalidDataException($"the schema no longer defines stream_writers.{stream}: revisit the overlay");
            // Only ever widen the exact shape the overlay was written for.
            if (property["type"]?.GetValue<string>() != "string" || property.ContainsKey("items"))
            {
                throw new InvalidDataException($"stream_writers.{stream} is no longer a plain string in the schema: revisit the overlay");
            }
            property["type"] = new JsonArray("string", "array");
            property["items"] = new JsonObject { ["type"] = "string" };
        }
        return schema;
    }

    public static JsonSchemaValidator Validator() => new(LoadWithOverlay());
}
