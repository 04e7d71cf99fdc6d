using System.CommandLine;
using Matrix.Stack.Routing;

namespace Matrix.Stack.Cli;

/// <summary><c>explain</c>: which pool serves a request, with the same normaliser and matcher the router uses.</summary>
internal static class ExplainCommand
{
    public static Command Create(CliConsole console)
    {
        var deployment = new DeploymentOptions();
        var request = new Argument<string[]>("request")
        {
            Description = "METHOD PATH[?QUERY], or - to read access-log lines (METHOD<TAB>PATH, nginx combined or HAProxy HTTP format) from standard input",
            Arity = new ArgumentArity(1, 2),
        };
        var command = new Command("explain", "Print {\"pool\":...,\"balance\":...,\"fallback\":...} for a request, or one line per request of an access log followed by a per-pool summary on standard error.");
        deployment.AddTo(command, withSecrets: false);
        command.Add(request);
        command.SetAction(parsed =>
        {
            var words = parsed.GetRequiredValue(request);
            if (words is not ["-"] && words is not [_, ['/', ..]])
            {
                throw new UsageException("explain takes METHOD PATH[?QUERY] (the path starts with '/'), or - to read an access log from standard input");
            }
            var inputs = deployment.Load(parsed, secretsWanted: false);
            if (inputs.AllProblems() is { Count: > 0 } problems)
            {
                return console.ReportProblems(problems);
            }
            var matcher = RouteMatcher.For(Layout.SynapseLayout.Create(inputs.Options));
            if (words is [var method, var target])
            {
                console.Out.WriteLine(Explain(matcher, method, target, out _));
                return ExitCodes.Success;
            }
            return ExplainLog(matcher, console);
        });
        return command;
    }

    /// <summary>
    /// One output line per request, so output stays aligned with the log; unreadable lines are reported on standard
    /// error and skipped. The per-pool summary goes to standard error too, so standard output stays JSON lines.
    /// </summary>
    private static int ExplainLog(RouteMatcher matcher, CliConsole console)
    {
        var bad = 0;
        var number = 0;
        var perPool = new SortedDictionary<string, int>(StringComparer.Ordinal);
        while (console.In.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }
            if (!AccessLogLine.TryParse(line, out var method, out var target))
            {
                console.Error.WriteLine($"line {number}: no request found (expected METHOD<TAB>PATH or a quoted \"METHOD PATH HTTP/x\" request line)");
                bad++;
                continue;
            }
            console.Out.WriteLine(Explain(matcher, method, target, out var pool));
            perPool[pool] = perPool.GetValueOrDefault(pool) + 1;
        }
        console.Error.WriteLine($"summary: {perPool.Values.Sum()} request(s), {bad} unreadable line(s)");
        foreach (var (pool, count) in perPool.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            console.Error.WriteLine($"  {pool,-24} {count,8}");
        }
        return bad == 0 ? ExitCodes.Success : ExitCodes.Problems;
    }

    /// <summary>
    /// The router's decision: the target is normalised first exactly as the router does, and a target the router
    /// refuses with 400 is reported as such (pool name "(rejected)" in the summary).
    /// </summary>
    internal static string Explain(RouteMatcher matcher, string method, string target, out string pool)
    {
        if (!MatrixPathNormalizer.TryNormalize(target, out var normalized, out var reason))
        {
            pool = "(rejected)";
            return $"{{\"pool\":null,\"balance\":null,\"fallback\":null,\"rejected\":{System.Text.Json.JsonSerializer.Serialize(reason)}}}";
        }
        var decision = matcher.Match(method, normalized.Path, normalized.Query);
        pool = decision.PoolName;
        return decision.ToExplainJson();
    }
}
