using System.Globalization;
using System.Text;

namespace Matrix.Stack.Synapse.Yaml;

/// <summary>
/// Writes a <see cref="YamlMapping"/> as block-style YAML. Every string is double-quoted, so no value can be
/// read back as another type by PyYAML's YAML 1.1 rules (<c>no</c>, <c>on</c>, <c>1h</c>, <c>0777</c>...).
/// Output depends only on the input: same mapping, same bytes.
/// </summary>
public static class YamlEmitter
{
    private const string Indent = "  ";

    /// <param name="header">Comment lines written first (each prefixed with <c># </c>).</param>
    public static string Write(YamlMapping document, params string[] header)
    {
        var text = new StringBuilder();
        foreach (var line in header)
        {
            text.Append("# ").Append(line).Append('\n');
        }
        WriteMappingBody(text, document, 0);
        return text.ToString();
    }

    private static void WriteMappingBody(StringBuilder text, YamlMapping mapping, int depth, bool firstLineAlreadyIndented = false)
    {
        var first = true;
        foreach (var (key, value) in mapping)
        {
            if (!(first && firstLineAlreadyIndented))
            {
                AppendIndent(text, depth);
            }
            first = false;
            text.Append(Key(key)).Append(':');
            WriteValueAfterKey(text, value, depth);
        }
    }

    private static void WriteValueAfterKey(StringBuilder text, object? value, int depth)
    {
        switch (value)
        {
            case YamlMapping { Count: > 0 } nested:
                text.Append('\n');
                WriteMappingBody(text, nested, depth + 1);
                break;
            case IEnumerable<object?> list when !IsScalar(value) && list.Any(item => !IsScalar(item)):
                text.Append('\n');
                WriteSequence(text, list, depth + 1);
                break;
            default:
                text.Append(' ').Append(Inline(value)).Append('\n');
                break;
        }
    }

    private static void WriteSequence(StringBuilder text, IEnumerable<object?> items, int depth)
    {
        foreach (var item in items)
        {
            AppendIndent(text, depth);
            text.Append("- ");
            switch (item)
            {
                case YamlMapping { Count: > 0 } mapping:
                    // The first key sits after the dash; the others line up under it.
                    WriteMappingBody(text, mapping, depth + 1, firstLineAlreadyIndented: true);
                    break;
                case IEnumerable<object?> list when !IsScalar(item) && list.Any() && list.All(IsScalar):
                    text.Append(Inline(item)).Append('\n');
                    break;
                case IEnumerable<object?> when !IsScalar(item):
                    throw new NotSupportedException("a list nested in a list must hold only scalars");
                default:
                    text.Append(Inline(item)).Append('\n');
                    break;
            }
        }
    }

    /// <summary>A scalar, an empty collection, or a flow list of scalars.</summary>
    private static string Inline(object? value) => value switch
    {
        null => "null",
        string s => Quote(s),
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        YamlMapping { Count: 0 } => "{}",
        IEnumerable<object?> list when list.All(IsScalar) => "[" + string.Join(", ", list.Select(Inline)) + "]",
        _ => throw new NotSupportedException($"cannot write a {value.GetType().Name} as a YAML scalar"),
    };

    private static bool IsScalar(object? value) => value is null or string or bool or int or long;

    // Words YAML 1.1 reads as booleans or null: as keys they must be quoted like any other ambiguous key.
    private static readonly HashSet<string> ReservedWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "true", "false", "on", "off", "null",
    };

    private static string Key(string key) =>
        key.Length > 0
        && (char.IsAsciiLetter(key[0]) || key[0] == '_')
        && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
        && !ReservedWords.Contains(key)
            ? key
            : Quote(key);

    /// <summary>A double-quoted YAML scalar: backslash escapes for quotes, backslashes and every non-printable character.</summary>
    public static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\t': quoted.Append("\\t"); break;
                case '\r': quoted.Append("\\r"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        // A surrogate pair is one character outside the BMP: written as is (UTF-8).
                        quoted.Append(c).Append(value[++i]);
                    }
                    else if (c < 0x20 || c is >= '\u007f' and <= '\u009f' || c is '\u2028' or '\u2029' || char.IsSurrogate(c))
                    {
                        // Controls, DEL, the Unicode line separators and lone surrogates would break the line or the encoding.
                        quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        quoted.Append(c);
                    }
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }

    private static void AppendIndent(StringBuilder text, int depth)
    {
        for (var i = 0; i < depth; i++)
        {
            text.Append(Indent);
        }
    }
}
