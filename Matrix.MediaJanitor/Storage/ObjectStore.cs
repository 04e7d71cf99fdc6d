using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Matrix.MediaJanitor.Configuration;
using Matrix.MediaJanitor.Synapse;

namespace Matrix.MediaJanitor.Storage;

/// <summary>
/// The bucket, seen through the synapse-s3-storage-provider key scheme: key = prefix + media store relative path.
/// Every error is turned into a message that names the bucket and key but never a credential.
/// </summary>
public sealed class ObjectStore(IAmazonS3 client, S3Options options, OffloadOptions offload)
{
    /// <summary>Metadata entry holding the SHA-256 (hex) of the uploaded bytes.</summary>
    public const string Sha256MetadataName = "x-amz-meta-sha256";

    private const int ReadBufferSize = 128 * 1024;

    public string Bucket => options.Bucket!;

    /// <summary>Consecutive requests that could not reach S3; reset only by a request that succeeded.</summary>
    public TransportFailureStreak TransportFailures { get; } = new();

    public string KeyFor(string relativePath) => options.Prefix + relativePath;

    /// <summary>AWS itself, or a custom endpoint reached over TLS.</summary>
    private bool UsesHttps => string.IsNullOrEmpty(options.ServiceUrl) || options.ServiceUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    public string Endpoint => string.IsNullOrEmpty(options.ServiceUrl) ? $"AWS {options.Region}" : options.ServiceUrl!;

    /// <summary>Fails with a clear message when the endpoint is unreachable, the bucket missing or access denied.</summary>
    public async Task PreflightAsync(CancellationToken ct)
    {
        try
        {
            await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = options.Prefix, MaxKeys = 1 }, ct);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchBucket" || ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new DependencyUnavailableException($"S3 bucket '{Bucket}' does not exist at {Endpoint} (Janitor:S3:Bucket).", ex);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new DependencyUnavailableException($"S3 endpoint {Endpoint} is not usable for bucket '{Bucket}': {Describe(ex)}", ex);
        }
    }

    public async Task<StoredObject?> HeadAsync(string key, CancellationToken ct)
    {
        try
        {
            var r = await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, ct);
            TransportFailures.Succeeded();
            return new StoredObject(r.ContentLength, r.Metadata[Sha256MetadataName], r.ETag);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // "No such object" is a successful answer to the question HEAD asks.
            TransportFailures.Succeeded();
            return null;
        }
        catch (Exception ex) when (IsS3Failure(ex, ct))
        {
            throw Wrap("HEAD", key, ex);
        }
    }

    /// <summary>Streams the file to S3: one PUT, or a multipart upload read part by part from disk for large files.</summary>
    public async Task UploadAsync(string key, string path, long length, string sha256Hex, CancellationToken ct)
    {
        try
        {
            if (length >= offload.MultipartThresholdBytes)
            {
                await UploadMultipartAsync(key, path, length, sha256Hex, ct);
                TransportFailures.Succeeded();
                return;
            }
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, ReadBufferSize, FileOptions.SequentialScan);
            var request = new PutObjectRequest
            {
                BucketName = Bucket,
                Key = key,
                InputStream = stream,
                AutoCloseStream = false,
                // Not every S3-compatible server decodes aws-chunked bodies: send a plain body of known length.
                UseChunkEncoding = false,
                // The janitor verifies every object itself (read-back or ETag): the SDK's extra MD5 pass adds nothing.
                DisableDefaultChecksumValidation = true,
                // Over HTTPS, TLS already protects the body: skip the SDK's extra SHA-256 pass over the file. Over plain
                // HTTP the SDK signs the payload hash (the server can then reject altered bytes).
                DisablePayloadSigning = UsesHttps,
            };
            request.Headers.ContentLength = length;
            request.Metadata.Add(Sha256MetadataName, sha256Hex);
            if (!string.IsNullOrEmpty(options.StorageClass))
            {
                request.StorageClass = new S3StorageClass(options.StorageClass);
            }
            await client.PutObjectAsync(request, ct);
            TransportFailures.Succeeded();
        }
        catch (Exception ex) when (IsS3Failure(ex, ct))
        {
            throw Wrap("PUT", key, ex);
        }
    }

    private async Task UploadMultipartAsync(string key, string path, long length, string sha256Hex, CancellationToken ct)
    {
        var initiate = new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key };
        initiate.Metadata.Add(Sha256MetadataName, sha256Hex);
        if (!string.IsNullOrEmpty(options.StorageClass))
        {
            initiate.StorageClass = new S3StorageClass(options.StorageClass);
        }
        var upload = await client.InitiateMultipartUploadAsync(initiate, ct);
        try
        {
            var parts = new List<PartETag>();
            var partSize = offload.MultipartPartSizeBytes;
            var number = 1;
            for (long position = 0; position < length; position += partSize, number++)
            {
                var size = Math.Min(partSize, length - position);
                var part = await client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = Bucket,
                    Key = key,
                    UploadId = upload.UploadId,
                    PartNumber = number,
                    FilePath = path,
                    FilePosition = position,
                    PartSize = size,
                    UseChunkEncoding = false,
                    DisableDefaultChecksumValidation = true,
                    DisablePayloadSigning = UsesHttps,
                }, ct);
                parts.Add(new PartETag(number, part.ETag));
            }
            await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = Bucket,
                Key = key,
                UploadId = upload.UploadId,
                PartETags = parts,
            }, ct);
        }
        catch
        {
            try
            {
                await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = upload.UploadId }, CancellationToken.None);
            }
            catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException or IOException)
            {
                // Best effort: an abandoned upload is invisible to readers and expires by bucket lifecycle rules.
            }
            throw;
        }
    }

    /// <summary>Downloads the object and returns its length and SHA-256, streaming (nothing kept in memory).</summary>
    public async Task<(long Length, string Sha256Hex)> ReadBackAsync(string key, CancellationToken ct)
    {
        try
        {
            using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key }, ct);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(ReadBufferSize);
            long total = 0;
            try
            {
                int read;
                while ((read = await response.ResponseStream.ReadAsync(buffer.AsMemory(0, ReadBufferSize), ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    total += read;
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
            TransportFailures.Succeeded();
            return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch (Exception ex) when (IsS3Failure(ex, ct))
        {
            throw Wrap("GET", key, ex);
        }
    }

    /// <summary>All objects under a key prefix, page by page (S3 returns keys in UTF-8 binary order).</summary>
    public async IAsyncEnumerable<IReadOnlyList<S3Object>> ListPagesAsync(string keyPrefix, [EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        do
        {
            ListObjectsV2Response page;
            try
            {
                page = await client.ListObjectsV2Async(new ListObjectsV2Request
                {
                    BucketName = Bucket,
                    Prefix = keyPrefix,
                    ContinuationToken = token,
                    MaxKeys = 1000,
                }, ct);
                TransportFailures.Succeeded();
            }
            catch (Exception ex) when (IsS3Failure(ex, ct))
            {
                throw Wrap("LIST", keyPrefix, ex);
            }
            yield return page.S3Objects ?? [];
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        try
        {
            await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, ct);
            TransportFailures.Succeeded();
        }
        catch (Exception ex) when (IsS3Failure(ex, ct))
        {
            throw Wrap("DELETE", key, ex);
        }
    }

    private static bool IsS3Failure(Exception ex, CancellationToken ct) =>
        !ct.IsCancellationRequested && ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TaskCanceledException;

    private ObjectStoreException Wrap(string operation, string key, Exception ex)
    {
        var transport = ex is HttpRequestException or TaskCanceledException || ex.InnerException is HttpRequestException or System.Net.Sockets.SocketException;
        if (transport)
        {
            TransportFailures.Unreachable();
        }
        return new ObjectStoreException($"S3 {operation} s3://{Bucket}/{key} failed: {Describe(ex)}", transport, ex);
    }

    /// <summary>Error text for logs: the service's error code and message, never request headers or credentials.</summary>
    public static string Describe(Exception ex) => ex switch
    {
        AmazonS3Exception s3 => $"{(int)s3.StatusCode} {s3.ErrorCode}: {s3.Message}",
        AmazonServiceException svc => $"{(int)svc.StatusCode} {svc.ErrorCode}: {svc.Message}",
        _ when ex.InnerException is not null && ex.InnerException != ex => $"{ex.Message} ({ex.InnerException.Message})",
        _ => ex.Message,
    };
}
