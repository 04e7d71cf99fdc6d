using System.CommandLine;
using Matrix.Stack.Secrets;
using Matrix.Stack.Yaml;

namespace Matrix.Stack.Cli;

/// <summary><c>generate-secrets</c>: fresh secrets for a deployment, to a new owner-only file (never overwritten) or standard output.</summary>
internal static class GenerateSecretsCommand
{
    private const string Header = "Secrets of a Matrix deployment. Keep this file private and backed up: the signing key must never change.";

    public static Command Create(CliConsole console)
    {
        var deployment = new DeploymentOptions();
        var output = new Option<string>("--out")
        {
            Description = "The secrets file to create (never overwritten), or - for standard output",
            HelpName = "FILE",
            Required = true,
        };
        var command = new Command("generate-secrets", "Create a file with fresh random values for every secret the deployment needs, the Synapse signing key included.");
        deployment.AddTo(command, withSecrets: false);
        command.Add(output);
        command.SetAction(parsed =>
        {
            var inputs = deployment.Load(parsed, secretsWanted: false);
            if (inputs.Problems.Count > 0)
            {
                return console.ReportProblems(inputs.Problems);
            }
            var path = parsed.GetRequiredValue(output);
            var secrets = SecretGenerator.Generate(inputs.Options);
            if (path == "-")
            {
                Write(console.Out, secrets);
                return ExitCodes.Success;
            }
            if (File.Exists(path) || Directory.Exists(path))
            {
                console.Error.WriteLine($"error: {path} exists; secrets are never overwritten (a new signing key would break federation)");
                return ExitCodes.Problems;
            }
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (!Directory.Exists(folder))
            {
                console.Error.WriteLine($"error: --out {path}: the folder {folder} does not exist");
                return ExitCodes.Problems;
            }
            using (var writer = OwnerOnlyFile.Create(path, FileMode.CreateNew))
            {
                Write(writer, secrets);
            }
            console.Out.WriteLine($"wrote {secrets.Names.Count()} secret(s) to {path} (owner-only); values are not shown");
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Write(TextWriter writer, StackSecrets secrets)
    {
        var document = new YamlMapping();
        foreach (var name in secrets.Names.Order(StringComparer.Ordinal))
        {
            document.Add(name, secrets.Reveal(name));
        }
        writer.Write(YamlFile.Write(document, Header));
    }
}
