namespace Matrix.MediaJanitor.MediaStore;

/// <summary>One media row and the files it owns in the media store: the original and its thumbnails.</summary>
public sealed record MediaItem(MediaKind Kind, string Origin, string MediaId, IReadOnlyList<MediaFile> Files, bool AlreadyOffloaded)
{
    /// <summary>For reports: <c>mxc</c>-like identity without the server name for local media.</summary>
    public string Describe() => Kind == MediaKind.Local ? $"local media {MediaId}" : $"remote media {Origin}/{MediaId}";
}
