using YamlDotNet.RepresentationModel;

namespace Matrix.Stack.Settings;

/// <summary>
/// Reads a JSON or YAML settings file into dotted keys: <c>{"workers": {"synchrotron": 12}}</c> becomes
/// <c>workers.synchrotron=12</c>. JSON is read by the same YAML parser (JSON is YAML).
/// </summary>
public static class SettingsFile
{
    public static IReadOnlyList<KeyValuePair<string, string>> Read(string path)
    {
        using var reader = File.OpenText(path);
        return Parse(reader, path);
    }

    public static IReadOnlyList<KeyValuePair<string, string>> Parse(TextReader reader, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException($"{source}: not valid YAML/JSON at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }
        var result = new List<KeyValuePair<string, string>>();
        if (stream.Documents.Count == 0)
        {
            return result;
        }
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException($"{source}: the top level must be a mapping of settings");
        }
        Flatten(root, "", result, source);
        return result;
    }

    private static void Flatten(YamlMappingNode node, string prefix, List<KeyValuePair<string, string>> into, string source)
    {
        foreach (var (keyNode, valueNode) in node.Children)
        {
            var key = prefix + ((YamlScalarNode)keyNode).Value;
            switch (valueNode)
            {
                case YamlMappingNode mapping:
                    Flatten(mapping, key + ".", into, source);
                    break;
                case YamlScalarNode scalar:
                    into.Add(new(key, scalar.Value ?? ""));
                    break;
                default:
                    throw new FormatException($"{source}: '{key}' must be a single value or a mapping, not a list");
            }
        }
    }
}
