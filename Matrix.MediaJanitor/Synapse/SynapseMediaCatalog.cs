using System.Runtime.CompilerServices;
using Matrix.MediaJanitor.Database;
using Npgsql;

namespace Matrix.MediaJanitor.Synapse;

/// <summary>Read-only queries on Synapse's media tables (columns as in Synapse's schema, <c>sha256</c> when present).</summary>
public sealed class SynapseMediaCatalog(NpgsqlDataSource dataSource)
{
    private static readonly string[] RequiredTables =
        ["local_media_repository", "local_media_repository_thumbnails", "remote_media_cache", "remote_media_cache_thumbnails"];

    // Which rows are old enough to offload, for the count and the pages alike. Local: not a URL preview, upload complete.
    private const string LocalCandidate = "url_cache IS NULL AND media_length IS NOT NULL AND COALESCE(last_access_ts, created_ts) < @cutoff";
    private const string RemoteCandidate = "filesystem_id IS NOT NULL AND COALESCE(last_access_ts, created_ts) < @cutoff";

    private bool _localHasSha256;
    private bool _remoteHasSha256;

    /// <summary>Checks the tables exist and learns whether this Synapse records SHA-256 (added in schema delta 91).</summary>
    public async Task InspectAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY(@tables)");
        command.Parameters.AddWithValue("tables", RequiredTables);
        var columns = (await command.ReadRowsAsync(reader => (reader.GetString(0), reader.GetString(1)), ct)).ToHashSet();
        var missing = RequiredTables.Where(t => !columns.Any(c => c.Item1 == t)).ToList();
        if (missing.Count > 0)
        {
            throw new DependencyUnavailableException(
                $"Synapse's media tables are missing ({string.Join(", ", missing)}): does Janitor:Database:ConnectionString point at Synapse's database?");
        }
        _localHasSha256 = columns.Contains(("local_media_repository", "sha256"));
        _remoteHasSha256 = columns.Contains(("remote_media_cache", "sha256"));
    }

    /// <summary>How many rows are old enough to be offloaded (for progress and ETA).</summary>
    public async Task<long> CountCandidatesAsync(bool local, bool remote, long cutoffMs, CancellationToken ct)
    {
        async Task<long> CountAsync(string table, string candidate)
        {
            await using var c = dataSource.CreateCommand($"SELECT count(*) FROM {table} WHERE {candidate}");
            c.Parameters.AddWithValue("cutoff", cutoffMs);
            return (long)(await c.ExecuteScalarAsync(ct))!;
        }
        return (local ? await CountAsync("local_media_repository", LocalCandidate) : 0)
            + (remote ? await CountAsync("remote_media_cache", RemoteCandidate) : 0);
    }

    /// <summary>
    /// Local media older than the cutoff, by keyset pages (no long transaction on Synapse's database). URL-preview
    /// entries (<c>url_cache</c>) and uploads still pending (<c>media_length IS NULL</c>) are skipped.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<LocalMediaRow>> LocalCandidatePagesAsync(long cutoffMs, int pageSize, [EnumeratorCancellation] CancellationToken ct)
    {
        var after = "";
        var sha = _localHasSha256 ? "sha256" : "NULL::text";
        while (true)
        {
            await using var c = dataSource.CreateCommand($"""
                SELECT media_id, media_length, {sha} FROM local_media_repository
                WHERE {LocalCandidate}
                  AND media_id COLLATE "C" > @after
                ORDER BY media_id COLLATE "C" LIMIT @limit
                """);
            c.Parameters.AddWithValue("cutoff", cutoffMs);
            c.Parameters.AddWithValue("after", after);
            c.Parameters.AddWithValue("limit", pageSize);
            var page = await c.ReadRowsAsync(
                r => new LocalMediaRow(r.GetString(0), r.IsDBNull(1) ? null : r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2)), ct);
            if (page.Count > 0)
            {
                yield return page;
            }
            if (page.Count < pageSize)
            {
                yield break;
            }
            after = page[^1].MediaId;
        }
    }

    /// <summary>Remote media cache rows older than the cutoff, by keyset pages on (origin, media_id).</summary>
    public async IAsyncEnumerable<IReadOnlyList<RemoteMediaRow>> RemoteCandidatePagesAsync(long cutoffMs, int pageSize, [EnumeratorCancellation] CancellationToken ct)
    {
        var afterOrigin = "";
        var afterId = "";
        var sha = _remoteHasSha256 ? "sha256" : "NULL::text";
        while (true)
        {
            await using var c = dataSource.CreateCommand($"""
                SELECT media_origin, media_id, filesystem_id, media_length, {sha} FROM remote_media_cache
                WHERE {RemoteCandidate}
                  AND (media_origin COLLATE "C", media_id COLLATE "C") > (@origin, @id)
                ORDER BY media_origin COLLATE "C", media_id COLLATE "C" LIMIT @limit
                """);
            c.Parameters.AddWithValue("cutoff", cutoffMs);
            c.Parameters.AddWithValue("origin", afterOrigin);
            c.Parameters.AddWithValue("id", afterId);
            c.Parameters.AddWithValue("limit", pageSize);
            var page = await c.ReadRowsAsync(r => new RemoteMediaRow(r.GetString(0), r.GetString(1), r.GetString(2),
                r.IsDBNull(3) ? null : r.GetInt64(3), r.IsDBNull(4) ? null : r.GetString(4)), ct);
            if (page.Count > 0)
            {
                yield return page;
            }
            if (page.Count < pageSize)
            {
                yield break;
            }
            (afterOrigin, afterId) = (page[^1].Origin, page[^1].MediaId);
        }
    }

    public async Task<ILookup<string, ThumbnailRow>> LocalThumbnailsAsync(IReadOnlyList<string> mediaIds, CancellationToken ct)
    {
        await using var c = dataSource.CreateCommand("""
            SELECT media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method, thumbnail_length
            FROM local_media_repository_thumbnails WHERE media_id = ANY(@ids)
            """);
        c.Parameters.AddWithValue("ids", mediaIds.ToArray());
        var rows = await c.ReadRowsAsync(r => (Key: r.GetString(0), Row: ReadThumbnail(r, 1)), ct);
        return rows.ToLookup(x => x.Key, x => x.Row);
    }

    /// <summary>Thumbnails of remote media, keyed by <c>origin + '\n' + media_id</c>.</summary>
    public async Task<ILookup<string, ThumbnailRow>> RemoteThumbnailsAsync(IReadOnlyList<RemoteMediaRow> media, CancellationToken ct)
    {
        await using var c = dataSource.CreateCommand("""
            SELECT t.media_origin, t.media_id, t.thumbnail_width, t.thumbnail_height, t.thumbnail_type, t.thumbnail_method, t.thumbnail_length
            FROM remote_media_cache_thumbnails t
            JOIN unnest(@origins, @ids) AS k(origin, id) ON t.media_origin = k.origin AND t.media_id = k.id
            """);
        c.Parameters.AddWithValue("origins", media.Select(m => m.Origin).ToArray());
        c.Parameters.AddWithValue("ids", media.Select(m => m.MediaId).ToArray());
        var rows = await c.ReadRowsAsync(r => (Key: RemoteKey(r.GetString(0), r.GetString(1)), Row: ReadThumbnail(r, 2)), ct);
        return rows.ToLookup(x => x.Key, x => x.Row);
    }

    public static string RemoteKey(string origin, string mediaId) => origin + "\n" + mediaId;

    /// <summary>Which of these local media ids still have a row.</summary>
    public async Task<HashSet<string>> ExistingLocalMediaAsync(IReadOnlyCollection<string> mediaIds, CancellationToken ct)
    {
        if (mediaIds.Count == 0) return new HashSet<string>(StringComparer.Ordinal);
        await using var c = dataSource.CreateCommand("SELECT media_id FROM local_media_repository WHERE media_id = ANY(@ids)");
        c.Parameters.AddWithValue("ids", mediaIds.ToArray());
        return (await c.ReadRowsAsync(r => r.GetString(0), ct)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Which of these (origin, filesystem_id) pairs still have a remote cache row; keys as <see cref="RemoteKey"/>.</summary>
    public async Task<HashSet<string>> ExistingRemoteFilesAsync(IReadOnlyCollection<(string Origin, string FilesystemId)> files, CancellationToken ct)
    {
        if (files.Count == 0) return new HashSet<string>(StringComparer.Ordinal);
        await using var c = dataSource.CreateCommand("""
            SELECT DISTINCT m.media_origin, m.filesystem_id FROM remote_media_cache m
            JOIN unnest(@origins, @ids) AS k(origin, id) ON m.media_origin = k.origin AND m.filesystem_id = k.id
            """);
        c.Parameters.AddWithValue("origins", files.Select(f => f.Origin).ToArray());
        c.Parameters.AddWithValue("ids", files.Select(f => f.FilesystemId).ToArray());
        return (await c.ReadRowsAsync(r => RemoteKey(r.GetString(0), r.GetString(1)), ct)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Rows in the media tables, to tell an empty (wrong?) database from a real one.</summary>
    public async Task<long> CountAllMediaAsync(CancellationToken ct)
    {
        await using var c = dataSource.CreateCommand("SELECT (SELECT count(*) FROM local_media_repository) + (SELECT count(*) FROM remote_media_cache)");
        return (long)(await c.ExecuteScalarAsync(ct))!;
    }

    private static ThumbnailRow ReadThumbnail(NpgsqlDataReader r, int first) => new(
        r.IsDBNull(first) ? null : r.GetInt32(first),
        r.IsDBNull(first + 1) ? null : r.GetInt32(first + 1),
        r.IsDBNull(first + 2) ? null : r.GetString(first + 2),
        r.IsDBNull(first + 3) ? null : r.GetString(first + 3),
        r.IsDBNull(first + 4) ? null : r.GetInt64(first + 4));
}
