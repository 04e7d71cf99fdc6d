namespace Matrix.AppHost.Configuration;

/// <summary>A deployment as chosen: a preset and the settings applied over it.</summary>
public sealed record StackSelection(string Preset, IReadOnlyList<KeyValuePair<string, string>> Settings);
