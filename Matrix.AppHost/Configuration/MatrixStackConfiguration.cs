using Matrix.Stack.Model;
using Matrix.Stack.Presets;
using Matrix.Stack.Settings;
using Matrix.Stack.Validation;
using Microsoft.Extensions.Configuration;

namespace Matrix.AppHost.Configuration;

/// <summary>
/// The deployment this AppHost models. It decides which resources exist, so it is configuration read while the model
/// is built (not a parameter, whose value is only known later): <c>Matrix:Preset</c> (a Matrix.Stack preset),
/// <c>Matrix:SettingsFile</c> (JSON/YAML settings) and <c>Matrix:Settings:&lt;key&gt;</c> (the same keys as
/// <c>render --set key=value</c>), e.g. <c>dotnet run --project Matrix.AppHost -- --Matrix:Preset=large</c>.
/// </summary>
public static class MatrixStackConfiguration
{
    public const string SectionName = "Matrix";
    public const string PresetKey = "Matrix:Preset";
    public const string SettingsFileKey = "Matrix:SettingsFile";
    public const string SettingsSection = "Matrix:Settings";
    public const string DefaultPreset = StackPresets.Monolith;

    /// <summary>
    /// Reads the selection once, then builds and validates the deployment; null, with every bad setting added to
    /// <paramref name="problems"/>, when it cannot be. <paramref name="requireServerName"/> (publishing) also makes a
    /// missing <c>serverName</c> a problem (<see cref="Kubernetes.PublishedServerName"/>).
    /// </summary>
    public static MatrixDeployment? Read(IConfiguration configuration, string appHostDirectory, ICollection<ValidationProblem> problems, bool requireServerName = false)
    {
        try
        {
            var selection = ReadSelection(configuration, appHostDirectory);
            if (requireServerName)
            {
                Kubernetes.PublishedServerName.Check(selection, problems);
            }
            return Build(selection);
        }
        catch (StackValidationException invalid)
        {
            foreach (var problem in invalid.Problems)
            {
                problems.Add(problem);
            }
            return null;
        }
    }

    /// <summary>The preset and the effective settings (file first, then configuration), as given to other processes.</summary>
    public static StackSelection ReadSelection(IConfiguration configuration, string appHostDirectory)
    {
        var preset = configuration[PresetKey] is { Length: > 0 } name ? name : DefaultPreset;
        var settings = new List<KeyValuePair<string, string>>();
        if (configuration[SettingsFileKey] is { Length: > 0 } file)
        {
            var path = Path.GetFullPath(file, appHostDirectory);
            try
            {
                settings.AddRange(SettingsFile.Read(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                throw new StackValidationException([new ValidationProblem(SettingsFileKey, $"cannot read {path}: {e.Message}")]);
            }
        }
        settings.AddRange(Settings(configuration));
        return new StackSelection(preset, settings);
    }

    public static MatrixDeployment Build(StackSelection selection)
    {
        StackOptions options;
        try
        {
            options = StackPresets.Create(selection.Preset);
        }
        catch (ArgumentException e)
        {
            throw new StackValidationException([new ValidationProblem(PresetKey, e.Message)]);
        }

        var problems = StackSettings.Apply(options, selection.Settings);
        if (problems.Count > 0)
        {
            throw new StackValidationException(problems);
        }

        // Every Synapse process is its own resource, reachable by its own name; a shared host cannot be modelled.
        if (!string.IsNullOrEmpty(options.Synapse.InstanceHost))
        {
            throw new StackValidationException(
                [new ValidationProblem("synapse.instanceHost", "must be empty for the AppHost: every Synapse process is its own resource and host")]);
        }

        return MatrixDeployment.Create(options);
    }

    /// <summary>
    /// <c>Matrix:Settings</c> as Matrix.Stack keys, in a stable order. Both spellings work:
    /// <c>Matrix:Settings:workers.synchrotron</c> and nested JSON (<c>"workers": { "synchrotron": 2 }</c>).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Settings(IConfiguration configuration) =>
        configuration.GetSection(SettingsSection)
            .AsEnumerable(makePathsRelative: true)
            .Where(setting => setting.Value is not null)
            .Select(setting => new KeyValuePair<string, string>(setting.Key.Replace(':', '.'), setting.Value!))
            .OrderBy(setting => setting.Key, StringComparer.Ordinal)
            .ToList();
}
