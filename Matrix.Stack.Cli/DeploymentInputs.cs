using Matrix.Stack.Model;
using Matrix.Stack.Presets;
using Matrix.Stack.Secrets;
using Matrix.Stack.Settings;
using Matrix.Stack.Validation;

namespace Matrix.Stack.Cli;

/// <summary>Options and secrets from a preset, a settings file, <c>--set</c> pairs, a secrets file and the environment.</summary>
/// <param name="Preset">The preset the options start from.</param>
/// <param name="Settings">The settings applied over it, in order (settings file, then <c>--set</c>).</param>
public sealed record DeploymentInputs(
    string Preset,
    IReadOnlyList<KeyValuePair<string, string>> Settings,
    StackOptions Options,
    StackSecrets? Secrets,
    IReadOnlyList<ValidationProblem> Problems)
{
    /// <param name="preset">One of <see cref="StackPresets.Names"/> (the parser has checked it).</param>
    public static DeploymentInputs Load(string preset, string? settingsFile, IEnumerable<string> assignments, string? secretsFile, bool secretsWanted)
    {
        var options = StackPresets.Create(preset);
        var problems = new List<ValidationProblem>();

        var settings = new List<KeyValuePair<string, string>>();
        if (settingsFile is { } file)
        {
            settings.AddRange(ReadFile(file, "--settings"));
        }
        foreach (var assignment in assignments)
        {
            settings.Add(StackSettings.ParseAssignment(assignment)
                ?? throw new UsageException($"--set '{assignment}' is not KEY=VALUE"));
        }
        problems.AddRange(StackSettings.Apply(options, settings));

        StackSecrets? secrets = null;
        if (secretsWanted)
        {
            var fromFile = StackSecrets.Empty;
            if (secretsFile is not null)
            {
                var pairs = ReadFile(secretsFile, "--secrets");
                var unknown = pairs.Where(p => !SecretName.All.Contains(p.Key)).Select(p => p.Key).ToList();
                problems.AddRange(unknown.Select(k => new ValidationProblem($"secrets.{k}", $"unknown secret; known: {string.Join(", ", SecretName.All)}")));
                fromFile = new StackSecrets(pairs.Where(p => SecretName.All.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value));
            }
            secrets = StackSecrets.FromEnvironment(fromFile);
        }
        return new DeploymentInputs(preset, settings, options, secrets, problems);
    }

    /// <summary>Whether <c>serverName</c> was given: the default can never be changed once the server federates.</summary>
    public bool ServerNameGiven => Settings.Any(s => s.Key == "serverName");

    /// <summary>Problems in the inputs themselves, then the validator's.</summary>
    public IReadOnlyList<ValidationProblem> AllProblems() => [.. Problems, .. StackValidator.Validate(Options, Secrets)];

    /// <summary>A settings or secrets file named by <paramref name="option"/>; a missing or unreadable one is a usage error naming it.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> ReadFile(string path, string option)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{option} file '{path}' does not exist");
        }
        try
        {
            return SettingsFile.Read(path);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
