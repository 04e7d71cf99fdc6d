using Microsoft.Extensions.Logging;

namespace Matrix.MediaJanitor.Offload;

/// <summary>What the offload pass tells the operator about single files, as structured events.</summary>
internal static partial class OffloadLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "offloaded again (pulled back into the local store): {Path}")]
    public static partial void OffloadedAgain(this ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "would offload {Path} ({Bytes} bytes)")]
    public static partial void WouldOffload(this ILogger logger, string path, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "FAILED {Media} {Path}: {Reason}")]
    public static partial void FileFailed(this ILogger logger, string media, string path, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MISSING {Media} {Path}: {Reason}")]
    public static partial void FileMissing(this ILogger logger, string media, string path, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ignoring {Directory}/{Name}: not a thumbnail name Synapse writes")]
    public static partial void UnknownThumbnail(this ILogger logger, string directory, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "skipping {Kind} media {Origin}{MediaId}: {Reason} (Synapse cannot store such a row on disk either)")]
    public static partial void UnusableMediaRow(this ILogger logger, string kind, string origin, string mediaId, string reason);
}
