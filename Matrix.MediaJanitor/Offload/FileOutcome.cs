namespace Matrix.MediaJanitor.Offload;

/// <summary>The outcome of one file, with its size and, for failures, the reason.</summary>
public sealed record FileOutcome(FileOutcomeKind Kind, long Bytes = 0, string? Reason = null)
{
    public bool IsSafe => Kind is FileOutcomeKind.Offloaded or FileOutcomeKind.AlreadyInStore or FileOutcomeKind.NothingToDo;
}
