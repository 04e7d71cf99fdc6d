namespace Matrix.Stack.LaunchScripts;

/// <summary>
/// How a component's container starts when each secret reaches it as its own file (Aspire, Kubernetes): a POSIX
/// shell script that assembles what the component needs from the secret files, then execs the server.
/// </summary>
public abstract record ComponentContainerCommand
{
    public const string Shell = "/bin/sh";

    /// <summary>The container entrypoint: <see cref="Shell"/>.</summary>
    public string Entrypoint => Shell;

    /// <summary>The entrypoint's arguments: <c>-c</c> and <see cref="Script"/>.</summary>
    public IReadOnlyList<string> Arguments => ["-c", Script];

    public required string Script { get; init; }

    /// <summary>Where the script expects the component's secret-free configuration file.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>The folder of the secret files (<c>synapse.secretsDirectory</c>, shared by every component).</summary>
    public required string SecretsDirectory { get; init; }

    /// <summary>The secrets the script reads, each from the file of its name in <see cref="SecretsDirectory"/>.</summary>
    public required IReadOnlyList<string> SecretFiles { get; init; }
}
