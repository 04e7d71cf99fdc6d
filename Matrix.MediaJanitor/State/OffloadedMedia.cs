using Matrix.MediaJanitor.MediaStore;

namespace Matrix.MediaJanitor.State;

/// <summary>A media whose original and thumbnails are all safe in S3, as recorded in <c>offloaded_media</c>.</summary>
public sealed record OffloadedMedia(MediaKind Kind, string Origin, string MediaId, int Files, long Bytes, long TimestampMs);
