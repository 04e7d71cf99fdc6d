using Matrix.Stack.Model;
using Matrix.Stack.Rendering;

namespace Matrix.Stack.Synapse;

/// <summary>
/// Where Synapse's files are, in two places: relative to the render output folder (<c>synapse/homeserver.yaml</c>),
/// and inside the Synapse container, where <c>synapse/</c> is <see cref="SynapseOptions.ConfigDirectory"/> and
/// <c>secrets/</c> is <see cref="SynapseOptions.SecretsDirectory"/>. Container paths are POSIX whatever the host OS.
/// </summary>
public sealed class SynapsePaths(SynapseOptions options)
{
    public const string Folder = "synapse";
    public const string RenderedHomeserver = Folder + "/homeserver.yaml";
    public const string RenderedLogConfig = Folder + "/log_config.yaml";
    public const string RenderedPgPass = SecretFilesRenderer.Folder + "/" + PgPassFileName;

    /// <summary>libpq's password file, derived from the <c>postgres_password</c> secret.</summary>
    public const string PgPassFileName = "pgpass";

    public static string RenderedWorker(string workerName) => $"{Folder}/workers/{workerName}.yaml";

    public string LogConfig => Join(options.ConfigDirectory, "log_config.yaml");

    /// <summary>A secret's file: the same name as the secret (<c>secrets/&lt;name&gt;</c> in the render output).</summary>
    public string Secret(string fileName) => Join(options.SecretsDirectory, fileName);

    public string PgPass => Secret(PgPassFileName);

    private static string Join(string directory, params string[] parts) =>
        string.Join('/', [directory.TrimEnd('/'), .. parts]);
}
