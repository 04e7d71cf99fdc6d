using Matrix.MediaJanitor.MediaStore;

namespace Matrix.MediaJanitor.Reconciliation;

/// <summary>A local media id, or a remote (origin, filesystem_id).</summary>
public sealed record MediaReference(MediaKind Kind, string Origin, string Id);
