using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using Matrix.MediaJanitor.Hosting;
using Matrix.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Matrix.Tests.MediaJanitor.Infrastructure;

/// <summary>
/// One test's world: its own Synapse-shaped database, bucket and media store folder, helpers to create media rows
/// with real files, and ways to run the real janitor (in-process or as a child process).
/// </summary>
public sealed class JanitorScenario : IAsyncDisposable
{
    private static readonly (int W, int H, string Method)[] ThumbnailSizes =
        [(32, 32, "crop"), (96, 96, "crop"), (320, 240, "scale"), (640, 480, "scale"), (800, 600, "scale")];

    private readonly Random _random;
    private readonly Dictionary<string, string?> _settings;

    private JanitorScenario(JanitorServers servers, S3rverProcess s3Server, string connectionString, string bucket, string mediaStore, int seed)
    {
        Servers = servers;
        S3Server = s3Server;
        ConnectionString = connectionString;
        Bucket = bucket;
        MediaStore = mediaStore;
        _random = new Random(seed);
        S3 = s3Server.CreateClient();
        _settings = new Dictionary<string, string?>
        {
            ["Janitor:Database:ConnectionString"] = connectionString,
            ["Janitor:MediaStore:Path"] = mediaStore,
            ["Janitor:S3:Bucket"] = bucket,
            ["Janitor:S3:Prefix"] = "",
            ["Janitor:S3:ServiceUrl"] = s3Server.Url,
            ["Janitor:S3:ForcePathStyle"] = "true",
            ["Janitor:S3:AccessKeyId"] = S3rverProcess.AccessKey,
            ["Janitor:S3:SecretAccessKey"] = S3rverProcess.SecretKey,
            ["Janitor:S3:MaxRetries"] = "1",
            ["Janitor:Offload:MinimumAge"] = "7d",
            ["Janitor:Offload:Parallelism"] = "4",
            ["Janitor:ProgressInterval"] = "1s",
        };
    }

    public JanitorServers Servers { get; }

    /// <summary>The s3rver this scenario's bucket lives on: the shared one, or a test's own (one it may kill).</summary>
    public S3rverProcess S3Server { get; }

    public string ConnectionString { get; }

    public string Bucket { get; }

    public string MediaStore { get; }

    public AmazonS3Client S3 { get; }

    /// <summary>Settings every run gets (tests change them with <see cref="Set"/>).</summary>
    public IReadOnlyDictionary<string, string?> Settings => _settings;

    public static async Task<JanitorScenario> CreateAsync(JanitorServers servers, bool createBucket = true, S3rverProcess? ownS3Server = null)
    {
        servers.Require();
        var id = Guid.NewGuid().ToString("N")[..10];
        var connectionString = await servers.Postgres!.CreateDatabaseAsync("synapse_" + id);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(SynapseMediaSchema.Ddl, connection);
            await command.ExecuteNonQueryAsync();
        }
        var bucket = "media-" + id;
        var mediaStore = Path.Combine(Path.GetTempPath(), "janitor-media-" + id);
        Directory.CreateDirectory(mediaStore);
        var scenario = new JanitorScenario(servers, ownS3Server ?? servers.S3!, connectionString, bucket, mediaStore, id.GetHashCode());
        if (createBucket)
        {
            await scenario.S3.PutBucketAsync(bucket);
        }
        return scenario;
    }

    public JanitorScenario Set(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    // ---- media ------------------------------------------------------------------------------------------------

    public async Task<MediaFixture> AddLocalMediaAsync(int size = 20_000, int ageDays = 60, int thumbnails = 2,
        bool recordSha256 = true, string? urlCache = null, bool writeFiles = true, string? recordedShaOverride = null)
    {
        var mediaId = RandomId();
        var content = RandomBytes(size);
        var original = new MediaFixtureFile($"local_content/{mediaId[..2]}/{mediaId[2..4]}/{mediaId[4..]}", content);
        var files = new List<MediaFixtureFile> { original };
        var created = DateTimeOffset.UtcNow.AddDays(-ageDays).ToUnixTimeMilliseconds();
        var sha = recordedShaOverride ?? (recordSha256 ? Sha256Hex(content) : null);
        await ExecuteAsync("""
            INSERT INTO local_media_repository (media_id, media_type, media_length, created_ts, upload_name, user_id, url_cache, last_access_ts, sha256)
            VALUES (@id, 'image/png', @length, @created, 'photo.png', '@alice:example.org', @url, @created, @sha)
            """, ("id", mediaId), ("length", size), ("created", created), ("url", (object?)urlCache ?? DBNull.Value), ("sha", (object?)sha ?? DBNull.Value));
        foreach (var (w, h, method) in ThumbnailSizes.Take(thumbnails))
        {
            var thumb = RandomBytes(1_000 + w * 10);
            files.Add(new MediaFixtureFile($"local_thumbnails/{mediaId[..2]}/{mediaId[2..4]}/{mediaId[4..]}/{w}-{h}-image-png-{method}", thumb));
            await ExecuteAsync("""
                INSERT INTO local_media_repository_thumbnails (media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method, thumbnail_length)
                VALUES (@id, @w, @h, 'image/png', @m, @length)
                """, ("id", mediaId), ("w", w), ("h", h), ("m", method), ("length", thumb.Length));
        }
        if (writeFiles)
        {
            WriteFiles(files, DateTimeOffset.UtcNow.AddDays(-ageDays));
        }
        return new MediaFixture("local", "", mediaId, mediaId, files);
    }

    public async Task<MediaFixture> AddRemoteMediaAsync(string origin = "remote.example", int size = 15_000, int ageDays = 60, int thumbnails = 1, bool writeFiles = true)
    {
        var mediaId = RandomId();
        var filesystemId = RandomId();
        var content = RandomBytes(size);
        var fs = $"{filesystemId[..2]}/{filesystemId[2..4]}/{filesystemId[4..]}";
        var files = new List<MediaFixtureFile> { new($"remote_content/{origin}/{fs}", content) };
        var created = DateTimeOffset.UtcNow.AddDays(-ageDays).ToUnixTimeMilliseconds();
        await ExecuteAsync("""
            INSERT INTO remote_media_cache (media_origin, media_id, media_type, created_ts, upload_name, media_length, filesystem_id, last_access_ts, sha256)
            VALUES (@o, @id, 'image/jpeg', @created, 'cat.jpg', @length, @fs, @created, @sha)
            """, ("o", origin), ("id", mediaId), ("created", created), ("length", size), ("fs", filesystemId), ("sha", Sha256Hex(content)));
        foreach (var (w, h, method) in ThumbnailSizes.Take(thumbnails))
        {
            var thumb = RandomBytes(800 + w * 10);
            files.Add(new MediaFixtureFile($"remote_thumbnail/{origin}/{fs}/{w}-{h}-image-jpeg-{method}", thumb));
            await ExecuteAsync("""
                INSERT INTO remote_media_cache_thumbnails (media_origin, media_id, thumbnail_width, thumbnail_height, thumbnail_method, thumbnail_type, thumbnail_length, filesystem_id)
                VALUES (@o, @id, @w, @h, @m, 'image/jpeg', @length, @fs)
                """, ("o", origin), ("id", mediaId), ("w", w), ("h", h), ("m", method), ("length", thumb.Length), ("fs", filesystemId));
        }
        if (writeFiles)
        {
            WriteFiles(files, DateTimeOffset.UtcNow.AddDays(-ageDays));
        }
        return new MediaFixture("remote", origin, mediaId, filesystemId, files);
    }

    public void WriteFiles(IEnumerable<MediaFixtureFile> files, DateTimeOffset modified)
    {
        foreach (var file in files)
        {
            var path = LocalPath(file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, file.Content);
            File.SetLastWriteTimeUtc(path, modified.UtcDateTime);
        }
    }

    public string LocalPath(MediaFixtureFile file) => Path.Combine(MediaStore, file.RelativePath);

    public bool ExistsLocally(MediaFixtureFile file) => File.Exists(LocalPath(file));

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync();
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    // ---- S3 ---------------------------------------------------------------------------------------------------

    public async Task<byte[]?> GetObjectAsync(string key)
    {
        try
        {
            using var response = await S3.GetObjectAsync(Bucket, key);
            using var memory = new MemoryStream();
            await response.ResponseStream.CopyToAsync(memory);
            return memory.ToArray();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task PutObjectAsync(string key, byte[] content)
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(content), UseChunkEncoding = false });
    }

    public async Task<List<string>> ListKeysAsync()
    {
        var keys = new List<string>();
        string? token = null;
        do
        {
            var page = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, ContinuationToken = token });
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return keys;
    }

    /// <summary>The file is gone from disk and S3 holds exactly its bytes under the storage provider's key.</summary>
    public async Task AssertOffloadedAsync(MediaFixtureFile file, string prefix = "")
    {
        Assert.False(ExistsLocally(file), $"{file.RelativePath} should have been deleted locally");
        var stored = await GetObjectAsync(prefix + file.RelativePath);
        Assert.NotNull(stored);
        Assert.Equal(file.Content, stored);
    }

    /// <summary>The file is still on disk, unchanged.</summary>
    public void AssertKept(MediaFixtureFile file)
    {
        Assert.True(ExistsLocally(file), $"{file.RelativePath} should still be on local disk");
        Assert.Equal(file.Content, File.ReadAllBytes(LocalPath(file)));
    }

    /// <summary>Never lost: either on disk unchanged, or in S3 with the same bytes.</summary>
    public async Task AssertNotLostAsync(MediaFixtureFile file)
    {
        if (ExistsLocally(file))
        {
            Assert.Equal(file.Content, File.ReadAllBytes(LocalPath(file)));
            return;
        }
        var stored = await GetObjectAsync(file.RelativePath);
        Assert.True(stored is not null, $"{file.RelativePath} is neither on disk nor in S3: LOST");
        Assert.Equal(file.Content, stored);
    }

    // ---- running the janitor ----------------------------------------------------------------------------------

    /// <summary>Runs the real application in-process with this scenario's settings (plus overrides).</summary>
    public async Task<JanitorRunResult> RunAsync(params string[] args)
    {
        var logs = new CapturingLoggerProvider();
        var settings = new Dictionary<string, string?>(_settings);
        var code = await JanitorApplication.RunAsync(args.Length == 0 ? ["--once"] : args,
            builder => builder.AddInMemoryCollection(settings), logs);
        return new JanitorRunResult(code, logs.Text);
    }

    /// <summary>Starts the janitor as a real child process (<c>dotnet Matrix.MediaJanitor.dll</c>) configured through the environment.</summary>
    public ExternalProcess StartProcess(IDictionary<string, string?>? overrides = null, params string[] args)
    {
        var environment = new Dictionary<string, string>();
        foreach (var (key, value) in _settings.Concat(overrides ?? new Dictionary<string, string?>()))
        {
            environment[key.Replace(":", "__")] = value ?? "";
        }
        var dll = Path.Combine(AppContext.BaseDirectory, "Matrix.MediaJanitor.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : ExternalProcess.RequireExecutable("dotnet", "the .NET SDK");
        return ExternalProcess.Start(dotnet, [dll, .. args], AppContext.BaseDirectory, environment);
    }

    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan limit, string what) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"gave up waiting for {what} after {limit}");
    }

    public async ValueTask DisposeAsync()
    {
        S3.Dispose();
        try
        {
            Directory.Delete(MediaStore, recursive: true);
        }
        catch (IOException)
        {
        }
        await Task.CompletedTask;
    }

    private string RandomId()
    {
        const string letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        return string.Create(24, _random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = letters[r.Next(letters.Length)];
        });
    }

    private byte[] RandomBytes(int size)
    {
        var bytes = new byte[size];
        _random.NextBytes(bytes);
        return bytes;
    }

    public static string Sha256Hex(byte[] content) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
}

public sealed record JanitorRunResult(int ExitCode, string Output)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}";
}
