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
        // The effective id: the third column of the field's line.
        int? Effective(string field) => File.ReadLines(status)
            .Where(line => line.StartsWith(field, StringComparison.Ordinal))
            .Select(line => (int?)int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        return Effective("Uid:") is { } uid && Effective("Gid:") is { } gid ? new SynapseRuntimeUser(uid, gid) : null;
    }
}
