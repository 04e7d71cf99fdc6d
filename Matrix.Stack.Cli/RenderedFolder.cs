namespace Matrix.Stack.Cli;

/// <summary>
/// The folder <c>render</c> writes, and the list of what it wrote there (<see cref="ManifestName"/>), so a second
/// render removes the files the new layout no longer has and never touches anything else. A folder with files but
/// no list was not written by <c>render</c>: it is refused.
/// </summary>
internal sealed class RenderedFolder(string root)
{
    public const string ManifestName = ".matrix-stack-rendered";

    private string Manifest => Path.Combine(root, ManifestName);

    /// <summary>Null when render may write here; otherwise why not.</summary>
    public string? Refusal() =>
        File.Exists(root) ? $"--out {root} is a file; render writes a folder"
        : Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any() && !File.Exists(Manifest)
            ? $"--out {root} is not empty and render did not write it (there is no {ManifestName}): choose a new or empty folder, so nothing of yours is overwritten or deleted"
            : null;

    /// <summary>Deletes the files the previous render listed that are not in <paramref name="current"/>; returns how many.</summary>
    public int RemoveStale(IEnumerable<string> current)
    {
        if (!File.Exists(Manifest))
        {
            return 0;
        }
        var keep = current.ToHashSet(StringComparer.Ordinal);
        var fullRoot = Path.GetFullPath(root) + Path.DirectorySeparatorChar;
        var removed = 0;
        foreach (var relative in File.ReadAllLines(Manifest).Where(l => l.Length > 0 && !keep.Contains(l)))
        {
            var path = Path.GetFullPath(Path.Combine(root, relative));
            // Only what render listed, and only inside the folder: an edited list cannot reach anything else.
            if (!path.StartsWith(fullRoot, StringComparison.Ordinal) || !File.Exists(path))
            {
                continue;
            }
            File.Delete(path);
            removed++;
            RemoveEmptyFolders(Path.GetDirectoryName(path)!, fullRoot);
        }
        return removed;
    }

    /// <summary>Written last, so an interrupted render leaves the previous list (and its files still count as render's).</summary>
    public void WriteManifest(IEnumerable<string> written) =>
        File.WriteAllLines(Manifest, written.Order(StringComparer.Ordinal));

    private static void RemoveEmptyFolders(string folder, string fullRoot)
    {
        while (Path.GetFullPath(folder) + Path.DirectorySeparatorChar is var full && full.StartsWith(fullRoot, StringComparison.Ordinal)
            && full != fullRoot && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
            folder = Path.GetDirectoryName(folder)!;
        }
    }
}
