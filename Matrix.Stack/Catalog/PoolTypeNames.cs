using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Matrix.Stack.Catalog;

/// <summary>The configuration names of pool types: <c>main</c>, <c>synchrotron</c>, <c>client-reader</c>...</summary>
public static class PoolTypeNames
{
    private static readonly Dictionary<PoolType, string> Names = Enum.GetValues<PoolType>()
        .ToDictionary(type => type, type => JsonNamingPolicy.KebabCaseLower.ConvertName(type.ToString()));

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
}
