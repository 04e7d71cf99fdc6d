using System.CommandLine;
using Matrix.Stack.Presets;

namespace Matrix.Stack.Cli;

/// <summary>The options that choose a deployment: <c>--preset</c>, <c>--settings</c>, <c>--set</c>; <c>--secrets</c>/<c>--no-secrets</c> where a command reads secrets.</summary>
internal sealed class DeploymentOptions
{
    public Option<string> Preset { get; } = new Option<string>("--preset")
    {
        Description = $"The starting layout: {string.Join(", ", StackPresets.Names)}",
        HelpName = "NAME",
        Required = true,
    }.AcceptOnlyFromAmong([.. StackPresets.Names]);

    public Option<string?> Settings { get; } = new("--settings")
    {
        Description = "A YAML or JSON file of setting: value pairs (see `settings`)",
        HelpName = "FILE",
    };

    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "One setting as KEY=VALUE, after the settings file; repeatable",
        HelpName = "KEY=VALUE",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string?> Secrets { get; } = new("--secrets")
    {
        Description = "A YAML or JSON file of secret: value pairs; MATRIX_SECRET_<NAME> variables override it",
        HelpName = "FILE",
    };

    public Option<bool> NoSecrets { get; } = new("--no-secrets");

    /// <summary>Adds the options; <c>--secrets</c> when the command reads secrets, <c>--no-secrets</c> (excluding it) when described.</summary>
    public void AddTo(Command command, bool withSecrets, string? noSecretsDescription = null)
    {
        command.Add(Preset);
        command.Add(Settings);
        command.Add(Set);
        if (withSecrets)
        {
            command.Add(Secrets);
        }
        if (noSecretsDescription is null)
        {
            return;
        }
        NoSecrets.Description = noSecretsDescription;
        command.Add(NoSecrets);
        command.Validators.Add(result =>
        {
            if (result.GetValue(NoSecrets) && result.GetValue(Secrets) is not null)
            {
                result.AddError("--secrets and --no-secrets exclude each other");
            }
        });
    }

    public DeploymentInputs Load(ParseResult parsed, bool secretsWanted) =>
        DeploymentInputs.Load(
            parsed.GetRequiredValue(Preset),
            parsed.GetValue(Settings),
            parsed.GetValue(Set) ?? [],
            secretsWanted ? parsed.GetValue(Secrets) : null,
            secretsWanted);
}
