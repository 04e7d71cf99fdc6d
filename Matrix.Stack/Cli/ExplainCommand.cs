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
                output.WriteLine(Explain(matcher, method, target));
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
            output.WriteLine(Explain(matcher, parts[0], parts[1]));
        }
        return bad == 0 ? Program.Success : Program.Problems;
    }

    /// <summary>
    /// The router's decision: the target is normalised first exactly as the router does, and a target the router
    /// refuses with 400 is reported as such (one line per request, so output stays aligned with an access log).
    /// </summary>
    internal static string Explain(RouteMatcher matcher, string method, string target)
    {
        if (!MatrixPathNormalizer.TryNormalize(target, out var normalized, out var reason))
        {
            return $"{{\"pool\":null,\"balance\":null,\"fallback\":null,\"rejected\":{System.Text.Json.JsonSerializer.Serialize(reason)}}}";
        }
        return matcher.Match(method, normalized.Path, normalized.Query).ToExplainJson();
    }
}
