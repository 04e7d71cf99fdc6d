namespace Matrix.Stack.Cli;

/// <summary>The command line itself is wrong (exit code 2), as opposed to the deployment it describes.</summary>
public sealed class UsageException(string message) : Exception(message);
