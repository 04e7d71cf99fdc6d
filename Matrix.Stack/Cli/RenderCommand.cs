using Matrix.Stack.Rendering;

namespace Matrix.Stack.Cli;

/// <summary><c>render</c>: validates everything first, renders in memory, then writes. Invalid input writes nothing.</summary>
internal static class RenderCommand
{
    public static int Run(CommandLine command, TextWriter output, TextWriter error)
    {
        if (command.OutputDirectory is not { } outDir)
        {
            throw new UsageException("--out DIR is required");
        }
        var inputs = DeploymentInputs.Load(command, secretsWanted: true);
        var problems = inputs.AllProblems();
        if (problems.Count > 0)
        {
            return ProblemReport.Write(problems, error);
        }
        var files = StackRenderer.Render(inputs.Options, inputs.Secrets!);
        foreach (var file in files)
        {
            Write(Path.Combine(outDir, file.Path), file);
        }
        output.WriteLine($"wrote {files.Count} file(s) to {Path.GetFullPath(outDir)} ({files.Count(f => f.Kind == RenderedFileKind.Secret)} secret file(s), owner-only)");
        return Program.Success;
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
