namespace Matrix.Tests.Infrastructure;

/// <summary>A shell script standing in for a server binary (python, turnserver, livekit-server) that launch scripts exec.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class FakeExecutable
{
    /// <summary>Writes <paramref name="script"/> with Unix line endings and makes it executable by its owner.</summary>
    public static string Write(string path, string script)
    {
        File.WriteAllText(path, script.Replace("\r\n", "\n") + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
