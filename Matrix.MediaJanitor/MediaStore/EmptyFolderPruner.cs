namespace Matrix.MediaJanitor.MediaStore;

/// <summary>
/// Removes the media store folders that offloading left empty, without racing Synapse writing into them. A folder is
/// removed only when its last change is older than the minimum file age (otherwise Synapse may just have created it
/// and be about to write its file), and only with rmdir semantics (non-recursive), which fail on a folder that gained
/// an entry in the meantime. The media store root and the four tree roots (<c>local_content</c>, …) are never touched.
/// Removing a folder changes its parent, so a chain of empty folders goes one level per run.
/// </summary>
public sealed class EmptyFolderPruner(string mediaStoreRoot, TimeSpan minimumAge, TimeProvider time)
{
    /// <summary>Tries the folders above these media store relative file paths, deepest first; returns how many were removed.</summary>
    public int Prune(IEnumerable<string> relativeFilePaths)
    {
        var folders = new SortedSet<string>(DeepestFirst.Instance);
        foreach (var path in relativeFilePaths)
        {
            // Relative paths use '/'; a folder without one is a tree root (local_content, …): never a candidate.
            for (var cut = path.LastIndexOf('/'); cut > 0; cut = path.LastIndexOf('/', cut - 1))
            {
                var folder = path[..cut];
                if (!folder.Contains('/'))
                {
                    break;
                }
                folders.Add(folder);
            }
        }
        var changedBefore = time.GetUtcNow().UtcDateTime - minimumAge;
        var removed = 0;
        foreach (var folder in folders)
        {
            if (TryRemove(Path.Combine(mediaStoreRoot, folder), changedBefore))
            {
                removed++;
            }
        }
        return removed;
    }

    private static bool TryRemove(string path, DateTime changedBefore)
    {
        var info = new DirectoryInfo(path);
        // A symbolic link is an operator's choice, not a folder the janitor emptied.
        if (!info.Exists || info.Attributes.HasFlag(FileAttributes.ReparsePoint) || info.LastWriteTimeUtc > changedBefore)
        {
            return false;
        }
        try
        {
            Directory.Delete(path, recursive: false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not empty (something was written into it), already gone, or not ours to remove: leave it.
            return false;
        }
    }

    /// <summary>More path separators first, so a folder comes before its parent.</summary>
    private sealed class DeepestFirst : IComparer<string>
    {
        public static readonly DeepestFirst Instance = new();

        public int Compare(string? x, string? y)
        {
            var depth = Depth(y).CompareTo(Depth(x));
            return depth != 0 ? depth : string.CompareOrdinal(x, y);
        }

        private static int Depth(string? path) => path?.Count(c => c == '/') ?? 0;
    }
}
