using System.Runtime.CompilerServices;
using Matrix.MediaJanitor.Configuration;
using Matrix.MediaJanitor.MediaStore;
using Matrix.MediaJanitor.Reporting;
using Matrix.MediaJanitor.State;
using Matrix.MediaJanitor.Synapse;
using Microsoft.Extensions.Logging;

namespace Matrix.MediaJanitor.Offload;

/// <summary>
/// Streams the media to look at, page by page: old rows from Synapse, their thumbnails (rows and files found in the
/// thumbnail folder), and whether a previous run already offloaded them. Only one page is held in memory.
/// </summary>
public sealed class MediaItemSource(
    SynapseMediaCatalog catalog, JanitorStateStore? state, string mediaStoreRoot, OffloadOptions options, RunStatistics stats, ILogger logger)
{
    public async IAsyncEnumerable<MediaItem> EnumerateAsync(long cutoffMs, [EnumeratorCancellation] CancellationToken ct)
    {
        if (options.IncludeLocalMedia)
        {
            await foreach (var page in catalog.LocalCandidatePagesAsync(cutoffMs, options.PageSize, ct))
            {
                var ids = page.Select(p => p.MediaId).ToList();
                var thumbnails = await catalog.LocalThumbnailsAsync(ids, ct);
                var offloaded = state is null ? [] : await state.OffloadedAsync(MediaKind.Local, ids.Select(i => ("", i)).ToList(), ct);
                foreach (var row in page)
                {
                    var item = Build(MediaKind.Local, "", row.MediaId, offloaded.Contains("\n" + row.MediaId), () => (
                        MediaStoreLayout.LocalContentPath(row.MediaId),
                        MediaStoreLayout.LocalThumbnailDirectory(row.MediaId)), row.Length, row.Sha256, thumbnails[row.MediaId]);
                    if (item is not null)
                    {
                        yield return item;
                    }
                }
            }
        }
        if (options.IncludeRemoteMedia)
        {
            await foreach (var page in catalog.RemoteCandidatePagesAsync(cutoffMs, options.PageSize, ct))
            {
                var thumbnails = await catalog.RemoteThumbnailsAsync(page, ct);
                var offloaded = state is null ? [] : await state.OffloadedAsync(MediaKind.Remote, page.Select(p => (p.Origin, p.MediaId)).ToList(), ct);
                foreach (var row in page)
                {
                    var key = SynapseMediaCatalog.RemoteKey(row.Origin, row.MediaId);
                    var item = Build(MediaKind.Remote, row.Origin, row.MediaId, offloaded.Contains(key), () => (
                        MediaStoreLayout.RemoteContentPath(row.Origin, row.FilesystemId),
                        MediaStoreLayout.RemoteThumbnailDirectory(row.Origin, row.FilesystemId)), row.Length, row.Sha256, thumbnails[key]);
                    if (item is not null)
                    {
                        yield return item;
                    }
                }
            }
        }
    }

    private MediaItem? Build(MediaKind kind, string origin, string mediaId, bool alreadyOffloaded,
        Func<(string Content, string ThumbnailDirectory)> paths, long? length, string? sha256, IEnumerable<ThumbnailRow> thumbnailRows)
    {
        try
        {
            var (content, thumbnailDirectory) = paths();
            var files = new List<MediaFile> { new(content, false, length, NormalizeSha(sha256), true) };
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var t in thumbnailRows)
            {
                if (t.Width is not { } w || t.Height is not { } h || t.Type is null)
                {
                    continue;
                }
                var name = MediaStoreLayout.ThumbnailFileName(w, h, t.Type, t.Method);
                if (names.Add(name))
                {
                    files.Add(new MediaFile(MediaStoreLayout.InDirectory(thumbnailDirectory, name), true, t.Length, null, true));
                }
            }
            // Files in the thumbnail folder without a row (older naming, or rows Synapse lost) are offloaded too.
            var directory = Path.Combine(mediaStoreRoot, thumbnailDirectory);
            if (Directory.Exists(directory))
            {
                foreach (var file in Directory.EnumerateFiles(directory))
                {
                    var name = Path.GetFileName(file);
                    if (!names.Add(name))
                    {
                        continue;
                    }
                    try
                    {
                        files.Add(new MediaFile(MediaStoreLayout.InDirectory(thumbnailDirectory, name), true, null, null, false));
                    }
                    catch (InvalidMediaPathException)
                    {
                        // Not a name Synapse writes (an editor's backup, say): not ours to upload or delete.
                        logger.UnknownThumbnail(thumbnailDirectory, name);
                    }
                }
            }
            return new MediaItem(kind, origin, mediaId, files, alreadyOffloaded);
        }
        catch (InvalidMediaPathException ex)
        {
            Interlocked.Increment(ref stats.RowsInvalid);
            Interlocked.Increment(ref stats.MediaScanned);
            logger.UnusableMediaRow(kind.ToString(), origin.Length > 0 ? origin + "/" : "", mediaId, ex.Message);
            return null;
        }
    }

    private static string? NormalizeSha(string? sha) => string.IsNullOrWhiteSpace(sha) ? null : sha.Trim().ToLowerInvariant();
}
