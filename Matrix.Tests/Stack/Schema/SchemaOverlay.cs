using System.Text.Json;
using System.Text.Json.Nodes;

namespace Matrix.Tests.Stack.Schema;

/// <summary>
/// A documented change to a published schema, kept as a JSON Merge Patch (RFC 7386) file beside this class: the
/// patch's <c>$comment</c> says why it exists and ends up in the schema it changes.
/// </summary>
public static class SchemaOverlay
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip };

    /// <summary>The overlay file <paramref name="fileName"/>, from the test output folder.</summary>
    public static JsonObject Read(string fileName) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Stack", "Schema", fileName)), documentOptions: Options)!.AsObject();

    /// <summary>Merges <paramref name="patch"/> into <paramref name="target"/> (RFC 7386: null removes, objects merge, anything else replaces).</summary>
    public static void Apply(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchObject && target[key] is JsonObject targetObject)
            {
                Apply(targetObject, patchObject);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }
}
