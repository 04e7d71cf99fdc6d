using System.Collections;

namespace Matrix.Stack.Yaml;

/// <summary>
/// A YAML mapping whose keys keep the order they were added in, so a rendered file reads top-down in a
/// sensible order and is byte-identical every time. Values are <see cref="string"/>, <see cref="int"/>,
/// <see cref="long"/>, <see cref="bool"/>, <c>null</c>, another mapping, or a list of those.
/// </summary>
public sealed class YamlMapping : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _entries = [];

    public int Count => _entries.Count;

    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    /// <summary>Adds a key; a key added twice is a bug in the renderer, never silently overwritten.</summary>
    public void Add(string key, object? value)
    {
        if (ContainsKey(key))
        {
            throw new InvalidOperationException($"YAML key '{key}' added twice");
        }
        _entries.Add(new(key, value));
    }

    public bool ContainsKey(string key) => _entries.Exists(e => e.Key == key);

    public object? this[string key] =>
        _entries.FirstOrDefault(e => e.Key == key) is { Key: not null } entry
            ? entry.Value
            : throw new KeyNotFoundException($"YAML key '{key}' is not in the mapping");

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
