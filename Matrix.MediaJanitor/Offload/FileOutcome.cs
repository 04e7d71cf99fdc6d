namespace Matrix.MediaJanitor.Offload;

/// <summary>
/// The outcome of one file, with its size and, for failures, the reason. <paramref name="Uploaded"/>: an offloaded
/// file was PUT to S3 (false when S3 already held an identical copy).
/// </summary>
public sealed record FileOutcome(FileOutcomeKind Kind, long Bytes = 0, string? Reason = null, bool Uploaded = false)
{
    public bool IsSafe => Kind is FileOutcomeKind.Offloaded or FileOutcomeKind.AlreadyInStore or FileOutcomeKind.NothingToDo;
}
