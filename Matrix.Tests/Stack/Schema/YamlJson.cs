using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Matrix.Tests.Stack.Schema;

/// <summary>
/// Reads YAML into JSON nodes typed the way Synapse's loader (PyYAML <c>safe_load</c>, YAML 1.1) types them, so a
/// schema check sees what Synapse would: a plain <c>no</c> is a boolean, <c>0777</c> an octal integer, <c>1.0</c> a
/// float, <c>~</c> null; a quoted scalar is always a string. Duplicate keys are an error (PyYAML would silently keep
/// the last one), and so is a plain key that is not a string (<c>no:</c>). YAML 1.1 timestamps stay strings (JSON has no such type).
/// </summary>
public static partial class YamlJson
{
    [GeneratedRegex("^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")]
    private static partial Regex Bool();

    [GeneratedRegex("^(?:~|null|Null|NULL|)$")]
    private static partial Regex Null();

    [GeneratedRegex("^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|0|[1-9][0-9_]*)$")]
    private static partial Regex Int();

    [GeneratedRegex("^[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+$")]
    private static partial Regex SexagesimalInt();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex Float();

    /// <summary>The single document of <paramref name="yaml"/> (null for an empty document).</summary>
    public static JsonNode? Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count != 1)
        {
            throw new InvalidDataException($"expected one YAML document, found {stream.Documents.Count}");
        }
        return Convert(stream.Documents[0].RootNode);
    }

    public static JsonObject ParseObject(string yaml) =>
        Parse(yaml) as JsonObject ?? throw new InvalidDataException("the YAML document is not a mapping");

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ConvertMapping(mapping),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => throw new InvalidDataException($"unsupported YAML node {node.NodeType} at {node.Start}"),
    };

    private static JsonObject ConvertMapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } keyScalar)
            {
                throw new InvalidDataException($"a mapping key at {keyNode.Start} is not a scalar");
            }
            // PyYAML would make `no:` a False key and `8008:` an integer key: never the option name it looks like.
            if (ConvertScalar(keyScalar) is not JsonValue keyValue || keyValue.GetValueKind() != System.Text.Json.JsonValueKind.String)
            {
                throw new InvalidDataException($"mapping key '{key}' at {keyNode.Start} is not a string under YAML 1.1");
            }
            if (result.ContainsKey(key))
            {
                throw new InvalidDataException($"duplicate key '{key}' at {keyNode.Start}");
            }
            result[key] = Convert(valueNode);
        }
        return result;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }
        if (!scalar.Tag.IsEmpty && scalar.Tag.Value != "tag:yaml.org,2002:str")
        {
            throw new InvalidDataException($"explicit tag {scalar.Tag} at {scalar.Start} is not supported");
        }
        if (!scalar.Tag.IsEmpty)
        {
            return JsonValue.Create(text);
        }
        if (Null().IsMatch(text))
        {
            return null;
        }
        if (Bool().IsMatch(text))
        {
            return JsonValue.Create(text[0] is 'y' or 'Y' or 't' or 'T' || text is "on" or "On" or "ON");
        }
        if (Int().IsMatch(text))
        {
            return JsonValue.Create(ParseInt(text));
        }
        if (SexagesimalInt().IsMatch(text))
        {
            var negative = text.StartsWith('-');
            var value = text.TrimStart('-', '+').Replace("_", "").Split(':').Aggregate(0L, (sum, part) => sum * 60 + long.Parse(part, CultureInfo.InvariantCulture));
            return JsonValue.Create(negative ? -value : value);
        }
        if (Float().IsMatch(text))
        {
            return JsonValue.Create(ParseFloat(text));
        }
        return JsonValue.Create(text);
    }

    private static long ParseInt(string text)
    {
        var negative = text.StartsWith('-');
        var digits = text.TrimStart('-', '+').Replace("_", "");
        var value = digits switch
        {
            _ when digits.StartsWith("0b") => System.Convert.ToInt64(digits[2..], 2),
            _ when digits.StartsWith("0x") => System.Convert.ToInt64(digits[2..], 16),
            _ when digits.Length > 1 && digits[0] == '0' => System.Convert.ToInt64(digits[1..], 8),
            _ => long.Parse(digits, CultureInfo.InvariantCulture),
        };
        return negative ? -value : value;
    }

    private static double ParseFloat(string text)
    {
        var lower = text.Replace("_", "").ToLowerInvariant();
        return lower switch
        {
            ".nan" => double.NaN,
            ".inf" or "+.inf" => double.PositiveInfinity,
            "-.inf" => double.NegativeInfinity,
            _ => double.Parse(lower, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
    }
}
