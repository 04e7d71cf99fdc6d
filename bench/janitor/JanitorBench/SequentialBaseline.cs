using System.Diagnostics;
using System.Security.Cryptography;
using Amazon.S3.Model;

namespace JanitorBench;

/// <summary>
/// Baselines, one file at a time as s3_media_upload loops. <c>--verify none</c>: what s3_media_upload does (HEAD, PUT
/// when absent, delete, no check of the stored bytes). <c>--verify readback</c>: hash, PUT, read the object back and
/// compare its SHA-256 (the janitor's default check), delete. Same SDK and client settings as the janitor.
/// </summary>
public static class SequentialBaseline
{
    public static async Task<int> RunAsync(Arguments args)
    {
        var root = args["media"];
        var bucket = args["bucket"];
        var readBack = args["verify"] == "readback";
        using var s3 = S3Endpoint.Create(args);
        long files = 0, bytes = 0, failures = 0;
        var clock = Stopwatch.StartNew();
        foreach (var path in S3Endpoint.Files(root).ToList())
        {
            var key = Path.GetRelativePath(root, path).Replace('\\', '/');
            var length = new FileInfo(path).Length;
            if (!readBack)
            {
                try
                {
                    await s3.GetObjectMetadataAsync(bucket, key);
                }
                catch (Amazon.S3.AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    await using var plain = new FileStream(path, FileMode.Open, FileAccess.Read);
                    await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = plain, UseChunkEncoding = false, AutoCloseStream = false });
                }
                File.Delete(path);
                files++;
                bytes += length;
                continue;
            }
            var content = await File.ReadAllBytesAsync(path);
            var sha = SHA256.HashData(content);
            await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = stream, UseChunkEncoding = false, AutoCloseStream = false });
            }
            if (!await ReadBackMatchesAsync(s3, bucket, key, sha))
            {
                // Like the janitor: a copy that cannot be verified keeps the local file.
                failures++;
                Console.Error.WriteLine($"verification failed, kept: {key}");
                continue;
            }
            File.Delete(path);
            files++;
            bytes += content.Length;
        }
        Console.WriteLine($"BASELINE files={files} bytes={bytes} seconds={clock.Elapsed.TotalSeconds:0.00} failures={failures}");
        return 0;
    }

    private static async Task<bool> ReadBackMatchesAsync(Amazon.S3.IAmazonS3 s3, string bucket, string key, byte[] sha)
    {
        try
        {
            using var response = await s3.GetObjectAsync(bucket, key);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[128 * 1024];
            int read;
            while ((read = await response.ResponseStream.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
            return hash.GetHashAndReset().AsSpan().SequenceEqual(sha);
        }
        catch (Amazon.Runtime.AmazonClientException ex)
        {
            Console.Error.WriteLine($"read-back of {key} failed: {ex.Message}");
            return false;
        }
    }
}
