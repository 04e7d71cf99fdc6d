namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// The non-root user a resource's image runs as when published to Kubernetes (the restricted Pod Security Standard
/// forbids root), chosen from the image the resource publishes. <paramref name="FsGroup"/>: the group that owns its
/// volumes (a data directory the user must write). <paramref name="WritableDirectories"/>: directories of the image
/// the process writes that only root could write, each given an emptyDir. <paramref name="BindsPrivilegedPort"/>: the
/// process listens below 1024, which a non-root process may only do when the pod's network namespace lowers
/// <c>net.ipv4.ip_unprivileged_port_start</c> (a sysctl the baseline standard allows).
/// </summary>
public sealed record KubernetesRunAsAnnotation(long User, long Group, long? FsGroup = null) : IResourceAnnotation
{
    public IReadOnlyList<string> WritableDirectories { get; init; } = [];

    public bool BindsPrivilegedPort { get; init; }
}
