namespace Matrix.Stack.Cli;

/// <summary>The streams a command reads and writes; tests pass their own so nothing touches the real console.</summary>
public sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error)
{
    /// <summary>Every problem, each naming its setting, then the exit code for invalid input.</summary>
    public int ReportProblems(IReadOnlyList<Validation.ValidationProblem> problems)
    {
        Error.WriteLine($"{problems.Count} problem(s):");
        foreach (var problem in problems)
        {
            Error.WriteLine($"  {problem}");
        }
        return ExitCodes.Problems;
    }
}
