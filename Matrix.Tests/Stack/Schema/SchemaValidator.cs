using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Matrix.Tests.Stack.Schema;

/// <summary>
/// A JSON Schema evaluated by JsonSchema.Net, every failing keyword reported with the instance location it failed at.
/// </summary>
public sealed class SchemaValidator(JsonSchema schema)
{
    private static readonly EvaluationOptions Hierarchical = new() { OutputFormat = OutputFormat.Hierarchical };

    /// <summary>
    /// Loads <paramref name="document"/> under <paramref name="id"/>. JsonSchema.Net registers every schema it loads
    /// by its <c>$id</c> and refuses one twice, so callers keep the result (see <see cref="SynapseConfigSchema"/>).
    /// </summary>
    public static SchemaValidator Load(JsonObject document, Uri id)
    {
        document["$id"] = id.ToString();
        return new SchemaValidator(JsonSchema.FromText(document.ToJsonString()));
    }

    /// <summary>A schema that is the sub-schema at <paramref name="pointer"/> of the loaded schema <paramref name="id"/>.</summary>
    public static SchemaValidator Reference(Uri id, string pointer, Uri referenceId) =>
        Load(new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$ref"] = $"{id}#{pointer}",
        }, referenceId);

    public IReadOnlyList<SchemaError> Validate(JsonNode? instance)
    {
        var errors = new List<SchemaError>();
        Collect(schema.Evaluate(JsonSerializer.SerializeToElement(instance), Hierarchical), errors);
        return errors.Distinct().ToList();
    }

    /// <summary>
    /// Errors of failing nodes only: a branch that failed inside a passing <c>oneOf</c>/<c>anyOf</c> is not a problem
    /// of the instance, and a valid node's children are never visited.
    /// </summary>
    private static void Collect(EvaluationResults node, List<SchemaError> errors)
    {
        if (node.IsValid)
        {
            return;
        }
        if (node.Errors is { Count: > 0 })
        {
            errors.AddRange(node.Errors.Select(e => new SchemaError(node.InstanceLocation.ToString(), $"{e.Key}: {e.Value}")));
        }
        foreach (var child in node.Details ?? [])
        {
            Collect(child, errors);
        }
    }
}
