using System.CommandLine;
using Matrix.Stack.Rendering;
using Matrix.Stack.Routing;
using Matrix.Stack.Model;
using Matrix.Stack.Wiring;

namespace Matrix.Stack.Cli;

/// <summary><c>render</c>: validates everything first, renders in memory, then writes. Invalid input writes nothing.</summary>
internal static class RenderCommand
{
    public static Command Create(CliConsole console)
    {
        var deployment = new DeploymentOptions();
        var output = new Option<string>("--out")
        {
            Description = "The folder to write (created if missing)",
            HelpName = "DIR",
            Required = true,
        };
        var command = new Command("render", "Write DIR/synapse/homeserver.yaml, DIR/synapse/workers/<worker>.yaml, DIR/secrets/<name> and every component's files. Nothing is written when anything is invalid.");
        deployment.AddTo(command, withSecrets: true, noSecretsDescription: "Write configuration only, no secret values (for hosts that deliver each secret on its own)");
        command.Add(output);
        command.SetAction(parsed =>
        {
            var outDir = parsed.GetRequiredValue(output);
            var folder = new RenderedFolder(outDir);
            if (folder.Refusal() is { } refusal)
            {
                console.Error.WriteLine($"error: {refusal}");
                return ExitCodes.Problems;
            }
            var withSecrets = !parsed.GetValue(deployment.NoSecrets);
            var inputs = deployment.Load(parsed, secretsWanted: withSecrets);
            if (inputs.AllProblems() is { Count: > 0 } problems)
            {
                return console.ReportProblems(problems);
            }
            if (!inputs.ServerNameGiven)
            {
                console.Error.WriteLine($"warning: serverName is not set, so the files use '{inputs.Options.ServerName}'. A server name can never be changed once users or rooms exist: set it (--set serverName=example.org) before the first start.");
            }
            IReadOnlyList<RenderedFile> files =
            [
                .. withSecrets ? StackRenderer.Render(inputs.Options, inputs.Secrets!) : StackRenderer.RenderConfiguration(inputs.Options),
                RouterEnvironmentFile.Render(StackWiring.Create(MatrixDeployment.Create(inputs.Options), RouterTrust.Local)),
            ];
            var removed = folder.RemoveStale(files.Select(f => f.Path));
            foreach (var file in files)
            {
                Write(Path.Combine(outDir, file.Path), file);
            }
            folder.WriteManifest(files.Select(f => f.Path));
            var secretFiles = files.Count(f => f.Kind == RenderedFileKind.Secret);
            console.Out.WriteLine($"wrote {files.Count} file(s) to {Path.GetFullPath(outDir)} ({secretFiles} secret file(s), owner-only); removed {removed} file(s) an earlier render wrote that this layout no longer has");
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Write(string path, RenderedFile file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (file.Kind == RenderedFileKind.Secret)
        {
            using var writer = OwnerOnlyFile.Create(path, FileMode.Create);
            writer.Write(file.Content);
            return;
        }
        File.WriteAllText(path, file.Content);
    }
}
