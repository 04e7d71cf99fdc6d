using System.Globalization;
using Amazon.S3.Model;
using Matrix.Stack.Model;
using Matrix.Tests.MediaJanitor.Infrastructure;
using Npgsql;

namespace Matrix.AppHost.Tests.Wiring;

/// <summary>
/// What the media janitor reaches, real and set up as a deployment leaves it: a PostgreSQL 15 whose Synapse database
/// and user are the deployment's (the user's password the stack's <c>postgres_password</c>), with Synapse's media tables
/// holding one old upload whose file is in a media store folder, and s3rver holding the deployment's bucket.
/// </summary>
public sealed class JanitorBackends : IAsyncDisposable
{
    private JanitorBackends(PostgresCluster postgres, S3rverProcess s3, string mediaStore, string bucket, string mediaFile, byte[] content)
    {
        Postgres = postgres;
        S3 = s3;
        MediaStore = mediaStore;
        _bucket = bucket;
        _mediaFile = mediaFile;
        _content = content;
    }

    private readonly string _bucket;
    private readonly string _mediaFile;
    private readonly byte[] _content;

    public PostgresCluster Postgres { get; }

    public S3rverProcess S3 { get; }

    public string MediaStore { get; }

    /// <summary>Skips the test, naming what is missing, when PostgreSQL 15 or s3rver is not installed.</summary>
    public static async Task<JanitorBackends> StartAsync(StackOptions options, string databasePassword)
    {
        var (postgres, postgresMissing) = await PostgresCluster.StartAsync(withPassword: true);
        Assert.SkipWhen(postgres is null, postgresMissing ?? "");
        var (s3, s3Missing) = await S3rverProcess.StartAsync();
        if (s3 is null)
        {
            await postgres!.DisposeAsync();
            Assert.Skip(s3Missing ?? "");
        }
        var database = options.Database;
        await ExecuteAsync(postgres!.ConnectionString("postgres"),
            $"CREATE ROLE \"{database.User}\" LOGIN PASSWORD '{databasePassword}'",
            $"CREATE DATABASE \"{database.Name}\" OWNER \"{database.User}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");

        // One upload 60 days old (past the janitor's default age threshold), in the database and on disk.
        var mediaId = "wiringTest" + Guid.NewGuid().ToString("N")[..14];
        var content = System.Text.Encoding.UTF8.GetBytes("media the janitor must offload " + mediaId);
        var created = DateTimeOffset.UtcNow.AddDays(-60);
        var asSynapse = new NpgsqlConnectionStringBuilder(postgres.ConnectionString(database.Name)) { Username = database.User, Password = databasePassword }.ConnectionString;
        await ExecuteAsync(asSynapse, SynapseMediaSchema.Ddl, string.Create(CultureInfo.InvariantCulture, $"""
            INSERT INTO local_media_repository (media_id, media_type, media_length, created_ts, upload_name, user_id, last_access_ts)
            VALUES ('{mediaId}', 'text/plain', {content.Length}, {created.ToUnixTimeMilliseconds()}, 'note.txt', '@alice:example.org', {created.ToUnixTimeMilliseconds()})
            """));
        var mediaStore = Directory.CreateTempSubdirectory("janitor-wiring-media-").FullName;
        var mediaFile = $"local_content/{mediaId[..2]}/{mediaId[2..4]}/{mediaId[4..]}";
        var path = Path.Combine(mediaStore, mediaFile);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, content);
        File.SetLastWriteTimeUtc(path, created.UtcDateTime);

        using (var client = s3!.CreateClient())
        {
            await client.PutBucketAsync(options.S3.Bucket);
        }
        return new JanitorBackends(postgres, s3, mediaStore, options.S3.Bucket, options.S3.Prefix + mediaFile, content);
    }

    /// <summary>The upload is in the bucket, byte for byte: the janitor read the database and the media store and wrote to S3.</summary>
    public async Task<bool> UploadIsInTheBucketAsync()
    {
        using var client = S3.CreateClient();
        try
        {
            using var stored = await client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = _mediaFile });
            using var bytes = new MemoryStream();
            await stored.ResponseStream.CopyToAsync(bytes);
            return bytes.ToArray().SequenceEqual(_content);
        }
        catch (Amazon.S3.AmazonS3Exception missing) when (missing.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static async Task ExecuteAsync(string connectionString, params string[] statements)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await S3.DisposeAsync();
        await Postgres.DisposeAsync();
        Directory.Delete(MediaStore, recursive: true);
    }
}
