namespace Matrix.MediaJanitor.MediaStore;

/// <summary>
/// Synapse's media store layout (synapse/media/filepath.py), relative to <c>media_store_path</c>. These relative
/// paths, with '/' separators, are also the S3 keys synapse-s3-storage-provider uses after its prefix.
/// </summary>
public static class MediaStoreLayout
{
    public const string LocalContent = "local_content";
    public const string LocalThumbnails = "local_thumbnails";
    public const string RemoteContent = "remote_content";
    public const string RemoteThumbnails = "remote_thumbnail";

    /// <summary><c>local_content/AB/CD/EFGH...</c></summary>
    public static string LocalContentPath(string mediaId) => Join(LocalContent, SplitId(mediaId));

    /// <summary><c>local_thumbnails/AB/CD/EFGH...</c>, the folder of a local media's thumbnails.</summary>
    public static string LocalThumbnailDirectory(string mediaId) => Join(LocalThumbnails, SplitId(mediaId));

    /// <summary><c>remote_content/&lt;server&gt;/AB/CD/EFGH...</c>, keyed by the cache's <c>filesystem_id</c>.</summary>
    public static string RemoteContentPath(string origin, string filesystemId) =>
        Join(RemoteContent, [Component(origin), .. SplitId(filesystemId)]);

    /// <summary><c>remote_thumbnail/&lt;server&gt;/AB/CD/EFGH...</c></summary>
    public static string RemoteThumbnailDirectory(string origin, string filesystemId) =>
        Join(RemoteThumbnails, [Component(origin), .. SplitId(filesystemId)]);

    /// <summary>
    /// Thumbnail file name: <c>{width}-{height}-{top type}-{sub type}-{method}</c>, e.g. <c>320-240-image-jpeg-scale</c>;
    /// for a row without a method, the older naming <c>{width}-{height}-{top type}-{sub type}</c>.
    /// </summary>
    public static string ThumbnailFileName(int width, int height, string contentType, string? method)
    {
        var parts = contentType.Split('/');
        if (parts.Length != 2)
        {
            throw new InvalidMediaPathException($"thumbnail type '{contentType}' is not of the form type/subtype");
        }
        return Component($"{width}-{height}-{parts[0]}-{parts[1]}" + (method is null ? "" : $"-{method}"));
    }

    /// <summary>Joins a thumbnail folder and a file name found there or derived from a row.</summary>
    public static string InDirectory(string directory, string fileName) => directory + "/" + Component(fileName);

    /// <summary>Synapse refuses path components outside <c>[A-Za-z0-9_-.[]:]</c> and <c>.</c>/<c>..</c>; so do we.</summary>
    public static string Component(string name) =>
        IsComponent(name) ? name : throw new InvalidMediaPathException($"invalid path component '{name}'");

    /// <summary>Whether Synapse would accept <paramref name="name"/> as a path component (<see cref="Component"/>).</summary>
    public static bool IsComponent(string name) =>
        name.Length > 0 && name is not ("." or "..")
        && name.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-' or '.' or '[' or ']' or ':');

    private static string[] SplitId(string id)
    {
        // Python slicing never throws: short ids give empty components, which the component check rejects.
        string Slice(int start, int end) => start >= id.Length ? "" : id[start..Math.Min(end, id.Length)];
        return [Component(Slice(0, 2)), Component(Slice(2, 4)), Component(Slice(4, id.Length))];
    }

    private static string Join(string root, IEnumerable<string> components) => root + "/" + string.Join('/', components);
}
