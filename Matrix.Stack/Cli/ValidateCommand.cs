namespace Matrix.Stack.Cli;

/// <summary><c>validate</c>: every problem at once, exit code 1 when there is any.</summary>
internal static class ValidateCommand
{
    public static int Run(CommandLine command, TextWriter output, TextWriter error)
    {
        var inputs = DeploymentInputs.Load(command, secretsWanted: !command.NoSecrets);
        var problems = inputs.AllProblems();
        if (problems.Count > 0)
        {
            return ProblemReport.Write(problems, error);
        }
        var instances = Layout.SynapseLayout.Create(inputs.Options).Instances.Count;
        output.WriteLine($"valid: preset {command.Preset}, {instances} Synapse process(es)");
        return Program.Success;
    }
}
