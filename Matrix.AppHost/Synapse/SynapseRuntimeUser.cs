namespace Matrix.AppHost.Synapse;

/// <summary>
/// The user Synapse runs as (the image's start script switches to <c>UID</c>:<c>GID</c>). In Kubernetes it is the image's
/// 991. In run mode on Linux it is the developer's own user, because the media store is a bind mount shared with the
/// media janitor, which runs on the host and must be able to delete what Synapse wrote.
/// </summary>
public sealed record SynapseRuntimeUser(int Uid, int Gid)
{
    public static readonly SynapseRuntimeUser Image = new(991, 991);

    public static SynapseRuntimeUser For(DistributedApplicationExecutionContext context) =>
        context.IsRunMode && HostUser() is { } host ? host : Image;

    // /proc/self/status: "Uid:\treal\teffective\t..." (Linux only; elsewhere Docker Desktop maps bind-mount ownership).
    private static SynapseRuntimeUser? HostUser()
    {
        const string status = "/proc/self/status";
        if (!OperatingSystem.IsLinux() || !File.Exists(status))
        {
            return null;
        }
        int? uid = null, gid = null;
        foreach (var line in File.ReadLines(status))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                uid = int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("Gid:", StringComparison.Ordinal))
            {
                gid = int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return uid is { } u && gid is { } g ? new SynapseRuntimeUser(u, g) : null;
    }
}
