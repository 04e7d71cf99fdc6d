using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;

namespace JanitorBench;

/// <summary>
/// A realistic mixed media store: photos with Synapse's default thumbnail set, small files (voice notes, PDFs),
/// remote avatars with thumbnails, and a few videos of tens of MB. Rows go into Synapse-shaped tables.
/// </summary>
public static class MediaStoreGenerator
{
    private static readonly (int W, int H, string Method, int Bytes)[] Thumbnails =
        [(32, 32, "crop", 1_500), (96, 96, "crop", 6_000), (320, 240, "scale", 28_000), (640, 480, "scale", 75_000), (800, 600, "scale", 110_000)];

    public static async Task<int> RunAsync(Arguments args)
    {
        var root = args["media"];
        var targetFiles = args.Int("files", 20_000);
        var random = new Random(args.Int("seed", 42));
        // Random content comes from one pool (fast), with a unique header per file so every file differs.
        var pool = new byte[64 * 1024 * 1024];
        random.NextBytes(pool);
        var created = DateTimeOffset.UtcNow.AddDays(-90);
        var createdMs = created.ToUnixTimeMilliseconds();

        await using var db = NpgsqlDataSource.Create(args["db"]);
        await using (var c = db.CreateCommand(Schema))
        {
            await c.ExecuteNonQueryAsync();
        }
        var local = new List<(string Id, int Length, string Sha)>();
        var localThumbs = new List<(string Id, int W, int H, string Type, string Method, int Length)>();
        var remote = new List<(string Origin, string Id, string Fs, int Length, string Sha)>();
        var remoteThumbs = new List<(string Origin, string Id, int W, int H, string Type, string Method, int Length, string Fs)>();
        long files = 0, bytes = 0, fileSerial = 0;

        byte[] Content(int size)
        {
            var content = new byte[size];
            var offset = random.Next(0, pool.Length - size);
            Buffer.BlockCopy(pool, offset, content, 0, size);
            BitConverter.TryWriteBytes(content.AsSpan(0, Math.Min(8, size)), ++fileSerial);
            return content;
        }

        string Write(string relative, byte[] content)
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
            File.SetLastWriteTimeUtc(path, created.UtcDateTime);
            files++;
            bytes += content.Length;
            return Convert.ToHexStringLower(SHA256.HashData(content));
        }

        while (files < targetFiles)
        {
            var kind = random.NextDouble();
            var id = RandomId(random);
            var split = $"{id[..2]}/{id[2..4]}/{id[4..]}";
            if (kind < 0.55)
            {
                // Photo: log-normal around 350 KB, the thumbnails Synapse makes for it.
                var size = (int)Math.Clamp(Math.Exp(random.NextDouble() * 2.2 + 11.7), 20_000, 8_000_000);
                var sha = Write($"local_content/{split}", Content(size));
                local.Add((id, size, sha));
                foreach (var (w, h, method, tb) in Thumbnails.Take(random.Next(3, 6)))
                {
                    var t = Content(tb / 2 + random.Next(tb));
                    Write($"local_thumbnails/{split}/{w}-{h}-image-jpeg-{method}", t);
                    localThumbs.Add((id, w, h, "image/jpeg", method, t.Length));
                }
            }
            else if (kind < 0.80)
            {
                // Voice notes, PDFs, text: 5 KB to 2 MB, no thumbnails.
                var size = (int)Math.Clamp(Math.Exp(random.NextDouble() * 6 + 8.5), 5_000, 2_000_000);
                local.Add((id, size, Write($"local_content/{split}", Content(size))));
            }
            else if (kind < 0.98)
            {
                // Remote avatars and images cached from other servers, with two thumbnails.
                var origin = random.Next(4) switch { 0 => "matrix.org", 1 => "mozilla.org", 2 => "kde.org", _ => "gnome.org" };
                var fs = RandomId(random);
                var fsSplit = $"{fs[..2]}/{fs[2..4]}/{fs[4..]}";
                var size = 20_000 + random.Next(400_000);
                remote.Add((origin, id, fs, size, Write($"remote_content/{origin}/{fsSplit}", Content(size))));
                foreach (var (w, h, method, tb) in Thumbnails.Take(2))
                {
                    var t = Content(tb / 2 + random.Next(tb));
                    Write($"remote_thumbnail/{origin}/{fsSplit}/{w}-{h}-image-jpeg-{method}", t);
                    remoteThumbs.Add((origin, id, w, h, "image/jpeg", method, t.Length, fs));
                }
            }
            else
            {
                // Video: 4 to 40 MB, one poster thumbnail.
                var size = 4_000_000 + random.Next(36_000_000);
                local.Add((id, size, Write($"local_content/{split}", Content(size))));
                var t = Content(60_000);
                Write($"local_thumbnails/{split}/800-600-image-jpeg-scale", t);
                localThumbs.Add((id, 800, 600, "image/jpeg", "scale", t.Length));
            }
        }

        await using (var connection = await db.OpenConnectionAsync())
        {
            await using (var w = await connection.BeginBinaryImportAsync("COPY local_media_repository (media_id, media_type, media_length, created_ts, last_access_ts, sha256) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var (id, length, sha) in local)
                {
                    await w.StartRowAsync();
                    await w.WriteAsync(id);
                    await w.WriteAsync("application/octet-stream");
                    await w.WriteAsync(length, NpgsqlDbType.Integer);
                    await w.WriteAsync(createdMs);
                    await w.WriteAsync(createdMs);
                    await w.WriteAsync(sha);
                }
                await w.CompleteAsync();
            }
            await using (var w = await connection.BeginBinaryImportAsync("COPY local_media_repository_thumbnails (media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method, thumbnail_length) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var t in localThumbs)
                {
                    await w.WriteRowAsync(default, t.Id, t.W, t.H, t.Type, t.Method, t.Length);
                }
                await w.CompleteAsync();
            }
            await using (var w = await connection.BeginBinaryImportAsync("COPY remote_media_cache (media_origin, media_id, media_type, media_length, filesystem_id, created_ts, last_access_ts, sha256) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var r in remote)
                {
                    await w.WriteRowAsync(default, r.Origin, r.Id, "image/jpeg", r.Length, r.Fs, createdMs, createdMs, r.Sha);
                }
                await w.CompleteAsync();
            }
            await using (var w = await connection.BeginBinaryImportAsync("COPY remote_media_cache_thumbnails (media_origin, media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method, thumbnail_length, filesystem_id) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var t in remoteThumbs)
                {
                    await w.WriteRowAsync(default, t.Origin, t.Id, t.W, t.H, t.Type, t.Method, t.Length, t.Fs);
                }
                await w.CompleteAsync();
            }
        }
        Console.WriteLine($"DATASET files={files} bytes={bytes} media={local.Count + remote.Count} videos>4MB={local.Count(l => l.Length >= 4_000_000)}");
        return 0;
    }

    private static string RandomId(Random random)
    {
        const string letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        return string.Create(24, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = letters[r.Next(letters.Length)];
        });
    }

    // The same columns as Synapse's media tables (see Matrix.Tests/MediaJanitor/Infrastructure/SynapseMediaSchema.cs).
    private const string Schema = """
        CREATE TABLE local_media_repository (media_id text, media_type text, media_length integer, created_ts bigint, upload_name text,
            user_id text, quarantined_by text, url_cache text, last_access_ts bigint, safe_from_quarantine boolean DEFAULT false NOT NULL,
            authenticated boolean DEFAULT false, sha256 text, quarantined_ts bigint, UNIQUE (media_id));
        CREATE TABLE local_media_repository_thumbnails (media_id text, thumbnail_width integer, thumbnail_height integer, thumbnail_type text,
            thumbnail_method text, thumbnail_length integer);
        CREATE TABLE remote_media_cache (media_origin text, media_id text, media_type text, created_ts bigint, upload_name text, media_length integer,
            filesystem_id text, last_access_ts bigint, quarantined_by text, authenticated boolean DEFAULT false, sha256 text, quarantined_ts bigint,
            UNIQUE (media_origin, media_id));
        CREATE TABLE remote_media_cache_thumbnails (media_origin text, media_id text, thumbnail_width integer, thumbnail_height integer,
            thumbnail_method text, thumbnail_type text, thumbnail_length integer, filesystem_id text);
        CREATE INDEX ON local_media_repository_thumbnails (media_id);
        CREATE INDEX ON remote_media_cache_thumbnails (media_origin, media_id);
        """;
}
