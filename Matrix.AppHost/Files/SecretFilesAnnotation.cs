namespace Matrix.AppHost.Files;

/// <summary>
/// Secrets delivered as one file each (holding only the value) into <paramref name="Directory"/>, readable by
/// <paramref name="Owner"/> only. Run mode writes them from the resolved parameters; the Kubernetes publisher projects
/// them from a Secret. Never a config file, an environment value or a command line.
/// </summary>
public sealed record SecretFilesAnnotation(string Directory, IReadOnlyList<SecretFile> Secrets, int Owner) : IResourceAnnotation;
