namespace Matrix.AppHost.Configuration;

/// <summary>
/// A deployment as chosen: a preset and the settings applied over it. Given to the router (and any process that needs
/// the layout) as <c>Matrix__Preset</c> and <c>Matrix__Settings__&lt;key&gt;</c>, so it derives the same layout.
/// </summary>
public sealed record StackSelection(string Preset, IReadOnlyList<KeyValuePair<string, string>> Settings)
{
    public IEnumerable<KeyValuePair<string, string>> EnvironmentVariables() =>
        Settings
            .GroupBy(setting => setting.Key, StringComparer.Ordinal)
            .Select(group => new KeyValuePair<string, string>($"Matrix__Settings__{group.Key}", group.Last().Value))
            .Prepend(new KeyValuePair<string, string>("Matrix__Preset", Preset));
}
