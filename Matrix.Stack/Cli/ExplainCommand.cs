using Matrix.Stack.Routing;

namespace Matrix.Stack.Cli;

/// <summary><c>explain</c>: which pool serves a request, with the same matcher the router uses.</summary>
internal static class ExplainCommand
{
    public static int Run(CommandLine command, TextReader input, TextWriter output, TextWriter error)
    {
        var inputs = DeploymentInputs.Load(command, secretsWanted: false);
        var problems = inputs.AllProblems();
        if (problems.Count > 0)
        {
            return ProblemReport.Write(problems, error);
        }
        var matcher = RouteMatcher.For(Layout.SynapseLayout.Create(inputs.Options));
        switch (command.Positional)
        {
            case ["-"]:
                return ExplainLines(matcher, input, output, error);
            case [var method, var target]:
                if (!target.StartsWith('/'))
                {
                    throw new UsageException($"'{target}' is not a request path (it must start with '/')");
                }
                output.WriteLine(matcher.Match(method, target).ToExplainJson());
                return Program.Success;
            default:
                throw new UsageException("explain takes METHOD PATH[?QUERY], or - to read METHOD<TAB>PATH lines from standard input");
        }
    }

    private static int ExplainLines(RouteMatcher matcher, TextReader input, TextWriter output, TextWriter error)
    {
        var bad = 0;
        var number = 0;
        while (input.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }
            var parts = line.Split('\t');
            if (parts.Length < 2 || !parts[1].StartsWith('/'))
            {
                error.WriteLine($"line {number}: expected METHOD<TAB>PATH");
                bad++;
                continue;
            }
            output.WriteLine(matcher.Match(parts[0], parts[1]).ToExplainJson());
        }
        return bad == 0 ? Program.Success : Program.Problems;
    }
}
