namespace Matrix.AppHost.Files;

/// <summary>
/// Generated configuration files (no secret value in them) delivered into <paramref name="Directory"/>, readable by the
/// container user <paramref name="Owner"/>. With <paramref name="BesideImageFiles"/> each file is placed on its own, so a
/// directory that already holds the image's files (Element's web root) is not hidden (a Kubernetes subPath mount).
/// Run mode writes them as container files; the Kubernetes publisher turns them into a ConfigMap volume.
/// </summary>
public sealed record GeneratedFilesAnnotation(string Directory, IReadOnlyList<GeneratedFile> Files, int Owner, bool BesideImageFiles) : IResourceAnnotation;
