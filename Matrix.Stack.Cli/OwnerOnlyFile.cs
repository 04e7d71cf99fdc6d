namespace Matrix.Stack.Cli;

/// <summary>Files that hold secrets: created readable and writable by their owner only, before any byte is written.</summary>
internal static class OwnerOnlyFile
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <param name="mode"><see cref="FileMode.CreateNew"/> never replaces a file; <see cref="FileMode.Create"/> does.</param>
    public static StreamWriter Create(string path, FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
        }
        var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to a new file: tighten one that already existed too.
            File.SetUnixFileMode(path, OwnerReadWrite);
        }
        return new StreamWriter(stream);
    }
}
