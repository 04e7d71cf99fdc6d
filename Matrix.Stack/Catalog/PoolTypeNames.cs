using System.Diagnostics.CodeAnalysis;

namespace Matrix.Stack.Catalog;

/// <summary>The configuration names of pool types: <c>main</c>, <c>synchrotron</c>, <c>client-reader</c>...</summary>
public static class PoolTypeNames
{
    private static readonly Dictionary<PoolType, string> Names = Enum.GetValues<PoolType>()
        .ToDictionary(type => type, ToKebabCase);

    private static readonly Dictionary<string, PoolType> Types = Names
        .ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> All => Types.Keys;

    public static string Name(this PoolType type) => Names[type];

    public static bool TryParse(string name, out PoolType type) => Types.TryGetValue(name, out type);

    public static PoolType Parse(string name) =>
        TryParse(name, out var type)
            ? type
            : throw new ArgumentException($"unknown pool type '{name}'; known: {string.Join(", ", Types.Keys)}", nameof(name));

    public static bool IsKnown([NotNullWhen(true)] string? name) => name is not null && Types.ContainsKey(name);

    private static string ToKebabCase(PoolType type)
    {
        var text = type.ToString();
        var chars = new List<char>(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsUpper(text[i]) && i > 0)
            {
                chars.Add('-');
            }
            chars.Add(char.ToLowerInvariant(text[i]));
        }
        return new string([.. chars]);
    }
}
