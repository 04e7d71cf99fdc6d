using Matrix.Stack.Validation;

namespace Matrix.Stack.Cli;

internal static class ProblemReport
{
    public static int Write(IReadOnlyList<ValidationProblem> problems, TextWriter error)
    {
        error.WriteLine($"{problems.Count} problem(s):");
        foreach (var problem in problems)
        {
            error.WriteLine($"  {problem}");
        }
        return Program.Problems;
    }
}
