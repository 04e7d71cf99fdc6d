using Matrix.Stack.Model;
using Matrix.Stack.Validation;
using Microsoft.Extensions.Configuration;

namespace Matrix.AppHost.Media;

/// <summary>
/// <c>Matrix:LocalS3:Enabled=true</c>: a local run puts S3 media on an s3rver (npm) the AppHost starts as a resource,
/// instead of the MinIO container, for machines where no MinIO image can be had. Only the media janitor uses it:
/// Synapse's storage provider runs in a container and is configured, in homeserver.yaml, for the stack's MinIO. Never
/// published. <c>Matrix:LocalS3:Command</c> names the s3rver to run (default: the one <c>.ci/run</c> installs under
/// <c>.tools/</c>, else <c>s3rver</c> on PATH); <c>Matrix:LocalS3:DataPath</c> where it keeps its objects (default: the
/// checkout's local data folder, beside the media store).
/// </summary>
/// <param name="Command">The s3rver executable, found at model build.</param>
/// <param name="DataPath">Where s3rver keeps its objects when <c>Matrix:LocalS3:DataPath</c> is set; null for the checkout's default.</param>
public sealed record LocalS3Settings(string Command, string? DataPath)
{
    public const string EnabledKey = "Matrix:LocalS3:Enabled";
    public const string CommandKey = "Matrix:LocalS3:Command";
    public const string DataPathKey = "Matrix:LocalS3:DataPath";

    /// <summary>The version <c>.ci/run</c> installs; the one this stand-in was tried with.</summary>
    public const string S3rverVersion = "3.7.1";

    /// <summary>Where <c>.ci/run</c> installs s3rver, relative to the repository (the AppHost folder's parent).</summary>
    public const string InstalledPath = ".tools/node_modules/.bin/s3rver";

    public static string InstallHint => $"install it with `npm install --prefix .tools s3rver@{S3rverVersion}` in the repository (as .ci/run does), or set {CommandKey} to its path";

    /// <summary>
    /// The settings when the local S3 stand-in is asked for, else null; every reason it cannot be used (not a run, an
    /// S3 setting it cannot serve, s3rver or Node.js missing) is added to <paramref name="problems"/>, naming the setting.
    /// </summary>
    public static LocalS3Settings? Read(IConfiguration configuration, string appHostDirectory, S3MediaOptions? s3, bool publishing, ICollection<ValidationProblem> problems)
    {
        var enabled = configuration[EnabledKey];
        if (string.IsNullOrWhiteSpace(enabled))
        {
            return null;
        }
        if (!bool.TryParse(enabled, out var on))
        {
            problems.Add(new(EnabledKey, $"'{enabled}' is not true or false"));
            return null;
        }
        if (!on)
        {
            return null;
        }
        if (publishing)
        {
            problems.Add(new(EnabledKey, "s3rver is a stand-in for local runs and is never published; leave the setting out when publishing"));
            return null;
        }
        var count = problems.Count;
        if (s3 is not null)
        {
            if (!s3.Enabled)
            {
                problems.Add(new(EnabledKey, "S3 media is off (s3.enabled=false): there is nothing for s3rver to serve"));
            }
            else if (!s3.UsesStackMinIO)
            {
                problems.Add(new(EnabledKey, $"s3rver takes the place of the stack's own MinIO, but s3.endpoint names another server ('{s3.Endpoint}'): leave s3.endpoint out, or this setting"));
            }
            if (s3.Enabled && s3.SynapseStorageProvider)
            {
                problems.Add(new("s3.synapseStorageProvider", $"must be false with {EnabledKey}=true: only the media janitor uses s3rver; Synapse's storage provider, in its container, is configured for the stack's MinIO"));
            }
        }
        var command = FindCommand(configuration, appHostDirectory, problems);
        if (FindOnPath("node") is null)
        {
            problems.Add(new(EnabledKey, "Node.js (`node`) is not on PATH, and s3rver runs on it: install Node.js 20 or later"));
        }
        var dataPath = configuration[DataPathKey] is { Length: > 0 } data ? Path.GetFullPath(data) : null;
        return problems.Count == count && command is not null ? new LocalS3Settings(command, dataPath) : null;
    }

    private static string? FindCommand(IConfiguration configuration, string appHostDirectory, ICollection<ValidationProblem> problems)
    {
        if (configuration[CommandKey] is { Length: > 0 } configured)
        {
            var path = Path.GetFullPath(configured, appHostDirectory);
            if (File.Exists(path))
            {
                return path;
            }
            if (!configured.Contains('/') && FindOnPath(configured) is { } onPath)
            {
                return onPath;
            }
            problems.Add(new(CommandKey, $"'{configured}' is not an s3rver executable (no file {path}, nor on PATH); {InstallHint}"));
            return null;
        }
        var installed = Path.GetFullPath(Path.Combine(appHostDirectory, "..", InstalledPath));
        if (File.Exists(installed))
        {
            return installed;
        }
        if (FindOnPath("s3rver") is { } found)
        {
            return found;
        }
        problems.Add(new(EnabledKey, $"s3rver is not installed: neither {installed} nor `s3rver` on PATH exists; {InstallHint}"));
        return null;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
