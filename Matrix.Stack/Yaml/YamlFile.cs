using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Matrix.Stack.Yaml;

/// <summary>
/// Every YAML file the stack writes goes through here, and YamlDotNet writes it. Every string value is
/// double-quoted, so no value can be read back as another type by YAML 1.1 readers such as PyYAML (<c>no</c>,
/// <c>on</c>, <c>1h</c>, <c>0777</c>...); keys are plain unless they would be read as something else.
/// Output depends only on the input: same document, same bytes.
/// </summary>
public static class YamlFile
{
    // Words YAML 1.1 reads as booleans or null: as keys they must be quoted like any other ambiguous key.
    private static readonly HashSet<string> ReservedWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "true", "false", "on", "off", "null",
    };

    /// <param name="header">Comment lines written first (each prefixed with <c># </c>).</param>
    public static string Write(YamlMapping document, params string[] header) => Write(Node(document), header);

    /// <param name="header">Comment lines written first (each prefixed with <c># </c>).</param>
    public static string Write(YamlNode root, params string[] header)
    {
        var text = new StringBuilder();
        foreach (var line in header)
        {
            text.Append("# ").Append(line).Append('\n');
        }
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        // YamlStream ends a document with "...": a single-document file needs no end marker.
        var yaml = writer.ToString();
        return text.Append(yaml.EndsWith("...\n", StringComparison.Ordinal) ? yaml[..^4] : yaml).ToString();
    }

    /// <summary>A string value: always double-quoted.</summary>
    public static YamlScalarNode Quoted(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

    /// <summary>
    /// A <see cref="YamlMapping"/> as YamlDotNet nodes: strings, <see cref="int"/>, <see cref="long"/>,
    /// <see cref="bool"/>, <c>null</c>, mappings and lists of those; anything else is refused, never guessed.
    /// </summary>
    public static YamlNode Node(object? value) => value switch
    {
        null => new YamlScalarNode("null") { Style = ScalarStyle.Plain },
        string s => Quoted(s),
        bool b => new YamlScalarNode(b ? "true" : "false") { Style = ScalarStyle.Plain },
        int i => new YamlScalarNode(i.ToString(CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain },
        long l => new YamlScalarNode(l.ToString(CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain },
        YamlMapping mapping => Mapping(mapping),
        IEnumerable<object?> list => new YamlSequenceNode(list.Select(Node)),
        _ => throw new NotSupportedException($"cannot write a {value.GetType().Name} as YAML"),
    };

    private static YamlMappingNode Mapping(YamlMapping mapping)
    {
        var node = new YamlMappingNode();
        foreach (var (key, value) in mapping)
        {
            node.Add(Key(key), Node(value));
        }
        return node;
    }

    private static YamlScalarNode Key(string key) =>
        key.Length > 0
        && (char.IsAsciiLetter(key[0]) || key[0] == '_')
        && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
        && !ReservedWords.Contains(key)
            ? new YamlScalarNode(key) { Style = ScalarStyle.Plain }
            : Quoted(key);
}
