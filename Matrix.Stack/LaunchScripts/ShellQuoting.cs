namespace Matrix.Stack.LaunchScripts;

/// <summary>POSIX shell quoting for values written into generated scripts.</summary>
public static class ShellQuoting
{
    /// <summary>A single-quoted word: nothing inside is expanded; a quote is closed, escaped and reopened.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";
}
