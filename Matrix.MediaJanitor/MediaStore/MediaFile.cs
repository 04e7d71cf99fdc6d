namespace Matrix.MediaJanitor.MediaStore;

/// <summary>
/// One file of a media item. <paramref name="RecordedSha256"/> is Synapse's hash (originals only, newer Synapse);
/// <paramref name="ExpectedLength"/> the length Synapse recorded, when it did.
/// <paramref name="FromDatabase"/> false for files found in a thumbnail folder without a row.
/// </summary>
public sealed record MediaFile(string RelativePath, bool IsThumbnail, long? ExpectedLength, string? RecordedSha256, bool FromDatabase);
