namespace Matrix.Stack.Cli;

/// <summary>The process exit codes, in one place: scripts branch on them.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The input is invalid: the deployment has problems, or a file cannot be read or written.</summary>
    public const int Problems = 1;

    /// <summary>The command line itself is wrong: unknown command or option, a missing or malformed value.</summary>
    public const int Usage = 2;
}
