using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Matrix.Tests.Stack.Schema;

/// <summary>
/// A JSON Schema (2020-12) validator for the subset Synapse's configuration schema uses: <c>type</c> (a name or a
/// list of names), <c>properties</c>, <c>additionalProperties</c> (boolean or schema), <c>items</c>, <c>enum</c>,
/// <c>const</c>, <c>pattern</c>, <c>required</c>, <c>oneOf</c>/<c>anyOf</c>/<c>allOf</c> and <c>$ref</c> to a pointer in
/// the same document. <c>format</c> and annotations are ignored. Any other validation keyword throws, so a schema
/// that grows a rule this validator cannot check fails loudly instead of passing silently.
/// <para>
/// <c>integer</c> accepts only integers: a YAML float such as <c>8008.0</c> is a Python float, which Synapse's strict
/// integer options reject, so it is not an integer here (stricter than the specification's "zero fraction" rule).
/// </para>
/// <para>
/// Strict mode also reports top-level keys of the instance that the root schema's <c>properties</c> do not define:
/// a misspelt option name is ignored by Synapse, so it must fail a test instead.
/// </para>
/// </summary>
public sealed class JsonSchemaValidator
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "$schema", "$id", "$comment", "$defs", "definitions", "title", "description", "default", "examples", "example",
        "format", "deprecated", "readOnly", "writeOnly",
    };

    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "not", "if", "then", "else", "patternProperties", "propertyNames", "dependentRequired", "dependentSchemas",
        "dependencies", "prefixItems", "contains", "minContains", "maxContains", "minItems", "maxItems", "uniqueItems",
        "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "minProperties", "maxProperties", "unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$anchor",
        "$dynamicAnchor", "$recursiveRef",
    };

    private readonly JsonNode _root;
    private readonly Dictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    public JsonSchemaValidator(JsonNode root)
    {
        _root = root;
    }

    /// <summary>Every error of <paramref name="instance"/> against the schema at <paramref name="schemaPointer"/> ("" = the root).</summary>
    public IReadOnlyList<SchemaError> Validate(JsonNode? instance, bool strict = false, string schemaPointer = "")
    {
        var schema = Resolve(schemaPointer);
        var errors = new List<SchemaError>();
        Check(schema, instance, "", errors);
        if (strict && instance is JsonObject options)
        {
            var known = (schema as JsonObject)?["properties"] as JsonObject;
            foreach (var (key, _) in options)
            {
                if (known is null || !known.ContainsKey(key))
                {
                    errors.Add(new SchemaError(Pointer("", key), $"'{key}' is not an option the schema defines"));
                }
            }
        }
        return errors;
    }

    /// <summary>The schema node at a JSON pointer (<c>/properties/listeners/items</c>).</summary>
    public JsonNode Resolve(string pointer)
    {
        JsonNode? node = _root;
        foreach (var raw in pointer.Split('/').Skip(1))
        {
            var token = raw.Replace("~1", "/").Replace("~0", "~");
            node = node switch
            {
                JsonObject o when o.ContainsKey(token) => o[token],
                JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => throw new InvalidOperationException($"schema pointer '{pointer}' does not resolve at '{token}'"),
            };
        }
        return node ?? throw new InvalidOperationException($"schema pointer '{pointer}' resolves to null");
    }

    private void Check(JsonNode? schema, JsonNode? instance, string path, List<SchemaError> errors)
    {
        switch (schema)
        {
            case JsonValue value when value.GetValueKind() is JsonValueKind.True:
                return;
            case JsonValue value when value.GetValueKind() is JsonValueKind.False:
                errors.Add(new(path, "no value is allowed here"));
                return;
            case JsonObject keywords:
                CheckKeywords(keywords, instance, path, errors);
                return;
            default:
                throw new InvalidOperationException($"a schema at instance path '{path}' is neither an object nor a boolean");
        }
    }

    private void CheckKeywords(JsonObject schema, JsonNode? instance, string path, List<SchemaError> errors)
    {
        foreach (var (keyword, argument) in schema)
        {
            switch (keyword)
            {
                case "$ref":
                    var reference = argument!.GetValue<string>();
                    if (!reference.StartsWith('#'))
                    {
                        throw new NotSupportedException($"only references inside the document are supported, not '{reference}'");
                    }
                    Check(Resolve(reference[1..]), instance, path, errors);
                    break;
                case "type":
                    CheckType(argument!, instance, path, errors);
                    break;
                case "enum":
                    if (!argument!.AsArray().Any(allowed => SameValue(allowed, instance)))
                    {
                        errors.Add(new(path, $"{Show(instance)} is not one of {argument.ToJsonString()}"));
                    }
                    break;
                case "const":
                    if (!SameValue(argument, instance))
                    {
                        errors.Add(new(path, $"{Show(instance)} is not {Show(argument)}"));
                    }
                    break;
                case "pattern":
                    if (instance is JsonValue text && text.GetValueKind() == JsonValueKind.String)
                    {
                        var pattern = argument!.GetValue<string>();
                        if (!Pattern(pattern).IsMatch(text.GetValue<string>()))
                        {
                            errors.Add(new(path, $"{Show(instance)} does not match /{pattern}/"));
                        }
                    }
                    break;
                case "required":
                    if (instance is JsonObject required)
                    {
                        foreach (var name in argument!.AsArray().Select(n => n!.GetValue<string>()).Where(n => !required.ContainsKey(n)))
                        {
                            errors.Add(new(path, $"required '{name}' is missing"));
                        }
                    }
                    break;
                case "properties":
                    if (instance is JsonObject withProperties)
                    {
                        foreach (var (name, propertySchema) in argument!.AsObject())
                        {
                            if (withProperties.TryGetPropertyValue(name, out var propertyValue))
                            {
                                Check(propertySchema, propertyValue, Pointer(path, name), errors);
                            }
                        }
                    }
                    break;
                case "additionalProperties":
                    if (instance is JsonObject additional)
                    {
                        var declared = schema["properties"] as JsonObject;
                        foreach (var (name, propertyValue) in additional)
                        {
                            if (declared is null || !declared.ContainsKey(name))
                            {
                                Check(argument, propertyValue, Pointer(path, name), errors);
                            }
                        }
                    }
                    break;
                case "items":
                    if (argument is JsonArray)
                    {
                        throw new NotSupportedException($"tuple-form 'items' (at instance path '{path}') is not supported");
                    }
                    if (instance is JsonArray list)
                    {
                        for (var i = 0; i < list.Count; i++)
                        {
                            Check(argument, list[i], Pointer(path, i.ToString(CultureInfo.InvariantCulture)), errors);
                        }
                    }
                    break;
                case "allOf":
                    foreach (var part in argument!.AsArray())
                    {
                        Check(part, instance, path, errors);
                    }
                    break;
                case "anyOf":
                    if (!argument!.AsArray().Any(option => Passes(option, instance, path)))
                    {
                        errors.Add(new(path, $"{Show(instance)} matches none of the anyOf alternatives"));
                    }
                    break;
                case "oneOf":
                    var matching = argument!.AsArray().Count(option => Passes(option, instance, path));
                    if (matching != 1)
                    {
                        errors.Add(new(path, $"{Show(instance)} matches {matching} of the oneOf alternatives, not exactly one"));
                    }
                    break;
                default:
                    if (Unsupported.Contains(keyword))
                    {
                        throw new NotSupportedException($"schema keyword '{keyword}' (at instance path '{path}') is not supported by this validator");
                    }
                    // Annotations, and vendor keywords such as io.element.type_name, do not constrain values.
                    if (!Annotations.Contains(keyword) && !keyword.StartsWith("io.", StringComparison.Ordinal))
                    {
                        UnknownKeywords.Add(keyword);
                    }
                    break;
            }
        }
    }

    /// <summary>Keywords met that are neither validation rules nor known annotations (misplaced property names in the schema, typically).</summary>
    public HashSet<string> UnknownKeywords { get; } = new(StringComparer.Ordinal);

    private bool Passes(JsonNode? schema, JsonNode? instance, string path)
    {
        var scratch = new List<SchemaError>();
        Check(schema, instance, path, scratch);
        return scratch.Count == 0;
    }

    private static void CheckType(JsonNode argument, JsonNode? instance, string path, List<SchemaError> errors)
    {
        var allowed = argument is JsonArray names ? names.Select(n => n!.GetValue<string>()).ToList() : [argument.GetValue<string>()];
        if (!allowed.Any(type => HasType(instance, type)))
        {
            errors.Add(new(path, $"{Show(instance)} is {TypeName(instance)}, not {string.Join(" or ", allowed)}"));
        }
    }

    private static bool HasType(JsonNode? instance, string type) => type switch
    {
        "null" => instance is null,
        "object" => instance is JsonObject,
        "array" => instance is JsonArray,
        "string" => instance is JsonValue v && v.GetValueKind() == JsonValueKind.String,
        "boolean" => instance is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "number" => instance is JsonValue v && v.GetValueKind() == JsonValueKind.Number,
        "integer" => IsInteger(instance),
        _ => throw new NotSupportedException($"unknown schema type '{type}'"),
    };

    private static bool IsInteger(JsonNode? instance) =>
        instance is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        && (v.TryGetValue<long>(out _) || v.TryGetValue<int>(out _)
            || v.TryGetValue<JsonElement>(out var element) && element.TryGetInt64(out _) && !element.GetRawText().Contains('.'));

    private static string TypeName(JsonNode? instance) => instance switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ when IsInteger(instance) => "an integer",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a number",
        },
        _ => instance.GetType().Name,
    };

    /// <summary>JSON equality: numbers by value (1 equals 1.0), objects regardless of key order.</summary>
    private static bool SameValue(JsonNode? a, JsonNode? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (null, _) or (_, null):
                return false;
            case (JsonObject x, JsonObject y):
                return x.Count == y.Count && x.All(p => y.TryGetPropertyValue(p.Key, out var other) && SameValue(p.Value, other));
            case (JsonArray x, JsonArray y):
                return x.Count == y.Count && x.Zip(y).All(p => SameValue(p.First, p.Second));
            case (JsonValue x, JsonValue y):
                var (kx, ky) = (x.GetValueKind(), y.GetValueKind());
                if (kx == JsonValueKind.Number && ky == JsonValueKind.Number)
                {
                    return NumberValue(x) == NumberValue(y);
                }
                return kx == ky && (kx != JsonValueKind.String || x.GetValue<string>() == y.GetValue<string>());
            default:
                return false;
        }
    }

    private static double NumberValue(JsonValue value) =>
        value.TryGetValue<long>(out var l) ? l
        : value.TryGetValue<int>(out var i) ? i
        : value.TryGetValue<double>(out var d) ? d
        : value.TryGetValue<JsonElement>(out var e) ? e.GetDouble()
        : throw new InvalidOperationException($"unexpected number representation {value.ToJsonString()}");

    private Regex Pattern(string pattern)
    {
        if (!_patterns.TryGetValue(pattern, out var regex))
        {
            // JSON Schema patterns are unanchored ECMA-262 regular expressions.
            regex = new Regex(pattern, RegexOptions.ECMAScript | RegexOptions.CultureInvariant);
            _patterns[pattern] = regex;
        }
        return regex;
    }

    private static string Show(JsonNode? node) => node is null ? "null" : node.ToJsonString();

    private static string Pointer(string parent, string token) => parent + "/" + token.Replace("~", "~0").Replace("/", "~1");
}
