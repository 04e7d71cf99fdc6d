namespace Matrix.MediaJanitor.MediaStore;

/// <summary>One media row and the files it owns in the media store: the original and its thumbnails.</summary>
public sealed record MediaItem(MediaKind Kind, string Origin, string MediaId, IReadOnlyList<MediaFile> Files, bool AlreadyOffloaded)
{
    /// <summary>For reports: <c>mxc</c>-like identity without the server name for local media.</summary>
    public string Describe() => Kind == MediaKind.Local ? $"local media {MediaId}" : $"remote media {Origin}/{MediaId}";
}

/// <summary>
/// One file of a media item. <paramref name="RecordedSha256"/> is Synapse's hash (originals only, newer Synapse);
/// <paramref name="ExpectedLength"/> the length Synapse recorded, when it did.
/// <paramref name="FromDatabase"/> false for files found in a thumbnail folder without a row.
/// </summary>
public sealed record MediaFile(string RelativePath, bool IsThumbnail, long? ExpectedLength, string? RecordedSha256, bool FromDatabase);
