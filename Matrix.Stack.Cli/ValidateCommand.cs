using System.CommandLine;

namespace Matrix.Stack.Cli;

/// <summary><c>validate</c>: every problem at once, exit code 1 when there is any.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliConsole console)
    {
        var deployment = new DeploymentOptions();
        var command = new Command("validate", "Print every problem of a deployment, each naming its setting; exit code 1 when there is any.");
        deployment.AddTo(command, withSecrets: true, noSecretsDescription: "Check the settings only, not the secrets");
        command.SetAction(parsed =>
        {
            var inputs = deployment.Load(parsed, secretsWanted: !parsed.GetValue(deployment.NoSecrets));
            if (inputs.AllProblems() is { Count: > 0 } problems)
            {
                return console.ReportProblems(problems);
            }
            var instances = Layout.SynapseLayout.Create(inputs.Options).Instances.Count;
            console.Out.WriteLine($"valid: preset {parsed.GetValue(deployment.Preset)}, {instances} Synapse process(es)");
            return ExitCodes.Success;
        });
        return command;
    }
}
