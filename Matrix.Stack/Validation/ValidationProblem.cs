namespace Matrix.Stack.Validation;

/// <summary>One thing wrong with a deployment description, naming the setting to fix.</summary>
public sealed record ValidationProblem(string Setting, string Message)
{
    public override string ToString() => $"{Setting}: {Message}";
}
