using Matrix.AppHost.Configuration;
using Matrix.Stack.Validation;

namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// A published deployment must be given its server name. Every preset defaults it to <c>matrix.localhost</c>, which
/// suits a machine running the AppHost but, once published and run, can never be changed: Synapse refuses to start
/// when its database was created under another name, and every user and room id carries it.
/// </summary>
public static class PublishedServerName
{
    /// <summary>The Matrix.Stack setting (<c>Matrix:Settings:serverName</c>, or the settings file's <c>serverName</c>).</summary>
    public const string SettingKey = "serverName";

    /// <summary>Adds a problem naming the setting when the selection does not give it.</summary>
    public static void Check(StackSelection selection, ICollection<ValidationProblem> problems)
    {
        if (!selection.Settings.Any(setting => setting.Key == SettingKey && !string.IsNullOrWhiteSpace(setting.Value)))
        {
            problems.Add(new ValidationProblem(SettingKey,
                $"a published deployment needs its server name (--{MatrixStackConfiguration.SettingsSection}:{SettingKey}=example.org or the settings file); " +
                "it cannot change once Synapse has run, so the presets' matrix.localhost is not published"));
        }
    }
}
