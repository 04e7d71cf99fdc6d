namespace Matrix.Stack.LaunchScripts;

/// <summary>
/// How a component's container starts when each secret reaches it as its own file (Aspire, Kubernetes): a POSIX
/// shell script that assembles what the component needs from the secret files, then execs the server.
/// </summary>
/// <param name="ConfigPath">Where the script expects the component's secret-free configuration file.</param>
/// <param name="SecretsDirectory">The folder of the secret files (<c>synapse.secretsDirectory</c>, shared by every component).</param>
/// <param name="SecretFiles">The secrets the script reads, each from the file of its name in <see cref="SecretsDirectory"/>.</param>
public abstract record ComponentContainerCommand(string Script, string ConfigPath, string SecretsDirectory, IReadOnlyList<string> SecretFiles)
{
    public const string Shell = "/bin/sh";

    /// <summary>The container entrypoint: <see cref="Shell"/>.</summary>
    public string Entrypoint => Shell;

    /// <summary>The entrypoint's arguments: <c>-c</c> and <see cref="Script"/>.</summary>
    public IReadOnlyList<string> Arguments => ["-c", Script];
}
