using Matrix.Stack.Secrets;

namespace Matrix.Stack.Cli;

/// <summary><c>generate-secrets</c>: writes fresh secrets for a deployment to a new owner-only file; never overwrites.</summary>
internal static class GenerateSecretsCommand
{
    public static int Run(CommandLine command, TextWriter output, TextWriter error)
    {
        if (command.OutputDirectory is not { } path)
        {
            throw new UsageException("--out FILE is required (the secrets file to create)");
        }
        var inputs = DeploymentInputs.Load(command, secretsWanted: false);
        if (inputs.Problems.Count > 0)
        {
            return ProblemReport.Write(inputs.Problems, error);
        }
        if (File.Exists(path))
        {
            error.WriteLine($"error: {path} exists; secrets are never overwritten (a new signing key would break federation)");
            return Program.Problems;
        }
        var secrets = SecretGenerator.Generate(inputs.Options);
        var lines = secrets.Names.Order(StringComparer.Ordinal).Select(name => $"{name}: \"{secrets.Reveal(name)}\"");
        using (var writer = OwnerOnlyFile.Create(path, FileMode.CreateNew))
        {
            writer.WriteLine("# Secrets of a Matrix deployment. Keep this file private and backed up: the signing key must never change.");
            foreach (var line in lines)
            {
                writer.WriteLine(line);
            }
        }
        output.WriteLine($"wrote {secrets.Names.Count()} secret(s) to {path} (owner-only); values are not shown");
        return Program.Success;
    }
}
