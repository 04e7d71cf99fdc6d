namespace Matrix.Stack.Validation;

/// <summary>Thrown with every problem at once, so an operator fixes them in one pass.</summary>
public sealed class StackValidationException(IReadOnlyList<ValidationProblem> problems)
    : Exception($"{problems.Count} problem(s) in the deployment description:{Environment.NewLine}" +
                string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
{
    public IReadOnlyList<ValidationProblem> Problems { get; } = problems;
}
