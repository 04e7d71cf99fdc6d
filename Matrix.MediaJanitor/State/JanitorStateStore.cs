using Matrix.MediaJanitor.Database;
using Matrix.MediaJanitor.MediaStore;
using Npgsql;

namespace Matrix.MediaJanitor.State;

/// <summary>
/// The janitor's own tables, in their own schema: which media are fully offloaded (so later runs only look for
/// pulled-back files) and which S3 objects were seen without a media row, since when.
/// </summary>
public sealed class JanitorStateStore(NpgsqlDataSource dataSource, string schema)
{
    private string Offloaded => $"{schema}.offloaded_media";
    private string Orphans => $"{schema}.orphan_objects";

    public async Task<bool> ExistsAsync(CancellationToken ct)
    {
        await using var c = dataSource.CreateCommand("SELECT to_regclass(@t) IS NOT NULL AND to_regclass(@o) IS NOT NULL");
        c.Parameters.AddWithValue("t", Offloaded);
        c.Parameters.AddWithValue("o", Orphans);
        return (bool)(await c.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Creates the schema; only called while holding the run lock, so never concurrently.</summary>
    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        await using var c = dataSource.CreateCommand($"""
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE IF NOT EXISTS {Offloaded} (
                kind text NOT NULL,
                origin text NOT NULL,
                media_id text NOT NULL,
                files integer NOT NULL,
                bytes bigint NOT NULL,
                offloaded_ts bigint NOT NULL,
                PRIMARY KEY (kind, origin, media_id)
            );
            CREATE TABLE IF NOT EXISTS {Orphans} (
                object_key text PRIMARY KEY,
                size bigint NOT NULL,
                first_seen_ts bigint NOT NULL,
                last_seen_ts bigint NOT NULL
            );
            """);
        await c.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Which of these media ids (of one kind) are recorded as fully offloaded; remote keys are origin + '\n' + id.</summary>
    public async Task<HashSet<string>> OffloadedAsync(MediaKind kind, IReadOnlyList<(string Origin, string MediaId)> media, CancellationToken ct)
    {
        if (media.Count == 0) return new HashSet<string>(StringComparer.Ordinal);
        await using var c = dataSource.CreateCommand($"""
            SELECT s.origin, s.media_id FROM {Offloaded} s
            JOIN unnest(@origins, @ids) AS k(origin, id) ON s.kind = @kind AND s.origin = k.origin AND s.media_id = k.id
            """);
        c.Parameters.AddWithValue("kind", KindName(kind));
        c.Parameters.AddWithValue("origins", media.Select(m => m.Origin).ToArray());
        c.Parameters.AddWithValue("ids", media.Select(m => m.MediaId).ToArray());
        return (await c.ReadRowsAsync(r => r.GetString(0) + "\n" + r.GetString(1), ct)).ToHashSet(StringComparer.Ordinal);
    }

    public async Task RecordOffloadedAsync(IReadOnlyList<OffloadedMedia> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        await using var c = dataSource.CreateCommand($"""
            INSERT INTO {Offloaded} (kind, origin, media_id, files, bytes, offloaded_ts)
            SELECT * FROM unnest(@kinds, @origins, @ids, @files, @bytes, @ts)
            ON CONFLICT (kind, origin, media_id) DO UPDATE
              SET files = EXCLUDED.files, bytes = {Offloaded}.bytes + EXCLUDED.bytes, offloaded_ts = EXCLUDED.offloaded_ts
            """);
        c.Parameters.AddWithValue("kinds", batch.Select(b => KindName(b.Kind)).ToArray());
        c.Parameters.AddWithValue("origins", batch.Select(b => b.Origin).ToArray());
        c.Parameters.AddWithValue("ids", batch.Select(b => b.MediaId).ToArray());
        c.Parameters.AddWithValue("files", batch.Select(b => b.Files).ToArray());
        c.Parameters.AddWithValue("bytes", batch.Select(b => b.Bytes).ToArray());
        c.Parameters.AddWithValue("ts", batch.Select(b => b.TimestampMs).ToArray());
        await c.ExecuteNonQueryAsync(ct);
    }

    /// <summary>First-seen times of known orphans among these keys.</summary>
    public async Task<Dictionary<string, long>> OrphanFirstSeenAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0) return new Dictionary<string, long>(StringComparer.Ordinal);
        await using var c = dataSource.CreateCommand($"SELECT object_key, first_seen_ts FROM {Orphans} WHERE object_key = ANY(@keys)");
        c.Parameters.AddWithValue("keys", keys.ToArray());
        var rows = await c.ReadRowsAsync(r => (Key: r.GetString(0), FirstSeen: r.GetInt64(1)), ct);
        return rows.ToDictionary(row => row.Key, row => row.FirstSeen, StringComparer.Ordinal);
    }

    /// <summary>Records that these orphans were seen now (first sighting starts their grace period).</summary>
    public async Task MarkOrphansSeenAsync(IReadOnlyList<(string Key, long Size)> orphans, long nowMs, CancellationToken ct)
    {
        if (orphans.Count == 0) return;
        await using var c = dataSource.CreateCommand($"""
            INSERT INTO {Orphans} (object_key, size, first_seen_ts, last_seen_ts)
            SELECT k, s, @now, @now FROM unnest(@keys, @sizes) AS x(k, s)
            ON CONFLICT (object_key) DO UPDATE SET last_seen_ts = @now, size = EXCLUDED.size
            """);
        c.Parameters.AddWithValue("keys", orphans.Select(o => o.Key).ToArray());
        c.Parameters.AddWithValue("sizes", orphans.Select(o => o.Size).ToArray());
        c.Parameters.AddWithValue("now", nowMs);
        await c.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Orphans seen in this run (last_seen = run start) whose grace period is over, by key order.</summary>
    public async Task<IReadOnlyList<(string Key, long Size)>> ExpiredOrphansAsync(long seenAtMs, long firstSeenBeforeMs, string afterKey, int limit, CancellationToken ct)
    {
        await using var c = dataSource.CreateCommand($"""
            SELECT object_key, size FROM {Orphans}
            WHERE last_seen_ts = @seen AND first_seen_ts <= @before AND object_key COLLATE "C" > @after
            ORDER BY object_key COLLATE "C" LIMIT @limit
            """);
        c.Parameters.AddWithValue("seen", seenAtMs);
        c.Parameters.AddWithValue("before", firstSeenBeforeMs);
        c.Parameters.AddWithValue("after", afterKey);
        c.Parameters.AddWithValue("limit", limit);
        return await c.ReadRowsAsync(r => (r.GetString(0), r.GetInt64(1)), ct);
    }

    public async Task ForgetOrphansAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0) return;
        await using var c = dataSource.CreateCommand($"DELETE FROM {Orphans} WHERE object_key = ANY(@keys)");
        c.Parameters.AddWithValue("keys", keys.ToArray());
        await c.ExecuteNonQueryAsync(ct);
    }

    /// <summary>After a complete listing: objects not seen as orphans this run are gone or have their row again.</summary>
    public async Task<int> ForgetOrphansNotSeenAsync(long seenAtMs, CancellationToken ct)
    {
        await using var c = dataSource.CreateCommand($"DELETE FROM {Orphans} WHERE last_seen_ts <> @seen");
        c.Parameters.AddWithValue("seen", seenAtMs);
        return await c.ExecuteNonQueryAsync(ct);
    }

    public static string KindName(MediaKind kind) => kind == MediaKind.Local ? "local" : "remote";
}
