using Matrix.MediaJanitor.MediaStore;

namespace Matrix.MediaJanitor.Reconciliation;

/// <summary>
/// Maps an object key back to the media row it belongs to: the inverse of <see cref="MediaStoreLayout"/>. Keys of other
/// shapes (url_cache, foreign files) are not the janitor's to judge and yield null.
/// </summary>
public static class ObjectKeyParser
{
    public static MediaReference? Parse(string prefix, string key)
    {
        if (!key.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = key[prefix.Length..].Split('/');
        if (!parts.All(MediaStoreLayout.IsComponent))
        {
            return null;
        }
        return parts switch
        {
            [MediaStoreLayout.LocalContent, var a, var b, var c] when IsIdSplit(a, b) => new MediaReference(MediaKind.Local, "", a + b + c),
            [MediaStoreLayout.LocalThumbnails, var a, var b, var c, _] when IsIdSplit(a, b) => new MediaReference(MediaKind.Local, "", a + b + c),
            [MediaStoreLayout.RemoteContent, var o, var a, var b, var c] when IsIdSplit(a, b) => new MediaReference(MediaKind.Remote, o, a + b + c),
            [MediaStoreLayout.RemoteThumbnails, var o, var a, var b, var c, _] when IsIdSplit(a, b) => new MediaReference(MediaKind.Remote, o, a + b + c),
            _ => null,
        };
    }

    private static bool IsIdSplit(string first, string second) => first.Length == 2 && second.Length == 2;
}
