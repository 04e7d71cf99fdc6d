using Matrix.MediaJanitor.Configuration;
using Matrix.MediaJanitor.MediaStore;
using Matrix.MediaJanitor.Storage;

namespace Matrix.MediaJanitor.Offload;

/// <summary>
/// One file: hash it, upload it under the storage provider's key, verify the stored object, and only then delete the
/// local copy. Any doubt leaves the local file in place and says why.
/// </summary>
public sealed class FileOffloader(ObjectStore store, string mediaStoreRoot, OffloadOptions options, TimeProvider time)
{
    public async Task<FileOutcome> OffloadAsync(MediaItem item, MediaFile file, bool dryRun, CancellationToken ct)
    {
        var path = Path.Combine(mediaStoreRoot, file.RelativePath);
        var key = store.KeyFor(file.RelativePath);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return await CheckAbsentFileAsync(item, file, key, ct);
        }
        if (info.LastWriteTimeUtc > time.GetUtcNow().UtcDateTime - options.MinimumFileAge.Value)
        {
            return new FileOutcome(FileOutcomeKind.SkippedRecent, info.Length, "written recently; left for a later run");
        }
        if (file.ExpectedLength is { } expectedLength && info.Length != expectedLength)
        {
            return new FileOutcome(FileOutcomeKind.Failed, info.Length,
                $"local file has {info.Length} bytes but Synapse recorded {expectedLength}: kept");
        }
        if (dryRun)
        {
            return new FileOutcome(FileOutcomeKind.WouldOffload, info.Length);
        }

        var metadataMode = options.Verification == VerificationMode.Metadata;
        var (length, sha256, md5) = await LocalFileHasher.HashAsync(path, metadataMode, ct);
        if (file.RecordedSha256 is { } recorded && recorded != sha256)
        {
            return new FileOutcome(FileOutcomeKind.Failed, length,
                $"local file's SHA-256 {sha256} differs from the {recorded} Synapse recorded: kept");
        }

        // Synapse's storage provider (store_remote, store_synchronous) usually wrote this object already, and a pulled-back
        // copy of an offloaded file is usually identical to it: check what S3 holds first, and upload only when the
        // object is missing or differs. Besides halving the traffic, this keeps a PUT cut short (on a server whose
        // PUT is not atomic) from replacing a good copy with a truncated one.
        var existing = await store.HeadAsync(key, ct);
        var uploaded = false;
        if (existing is null || !await IsIdenticalAsync(existing, key, length, sha256, md5, ct))
        {
            await store.UploadAsync(key, path, length, sha256, ct);
            uploaded = true;
            var problem = metadataMode
                ? await VerifyMetadataAsync(key, length, sha256, md5!, ct)
                : await VerifyReadBackAsync(key, length, sha256, ct);
            if (problem is not null)
            {
                return new FileOutcome(FileOutcomeKind.Failed, length, $"verification of s3://{store.Bucket}/{key} failed: {problem}; local file kept");
            }
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new FileOutcome(FileOutcomeKind.Failed, length, $"stored and verified, but the local file could not be deleted: {ex.Message}");
        }
        return new FileOutcome(FileOutcomeKind.Offloaded, length, Uploaded: uploaded);
    }

    /// <summary>
    /// Whether the object already in S3 passes the configured verification against the local file. ReadBack: same
    /// length and SHA-256 of the stored bytes (one read; a failed read just means "upload"). Metadata: same length,
    /// and a positive match of the janitor's SHA-256 metadata or of a single-part ETag MD5 (objects Synapse wrote
    /// carry no metadata), with nothing contradicting it.
    /// </summary>
    private async Task<bool> IsIdenticalAsync(StoredObject existing, string key, long length, string sha256, string? md5, CancellationToken ct)
    {
        if (existing.Length != length)
        {
            return false;
        }
        if (md5 is not null)
        {
            return MetadataMismatch(existing, length, sha256, md5, sha256MetadataRequired: false) is null;
        }
        try
        {
            var (storedLength, storedSha) = await store.ReadBackAsync(key, ct);
            return storedLength == length && storedSha == sha256;
        }
        catch (ObjectStoreException ex) when (!ex.IsTransport)
        {
            return false;
        }
    }

    private async Task<FileOutcome> CheckAbsentFileAsync(MediaItem item, MediaFile file, string key, CancellationToken ct)
    {
        if (item.AlreadyOffloaded)
        {
            return new FileOutcome(FileOutcomeKind.NothingToDo);
        }
        var stored = await store.HeadAsync(key, ct);
        if (stored is null)
        {
            return new FileOutcome(FileOutcomeKind.Missing, 0, $"missing from the local media store and from s3://{store.Bucket}/{key}");
        }
        if (file.ExpectedLength is { } expected && stored.Length != expected)
        {
            return new FileOutcome(FileOutcomeKind.Missing, 0,
                $"missing from the local media store; s3://{store.Bucket}/{key} has {stored.Length} bytes but Synapse recorded {expected}");
        }
        return new FileOutcome(FileOutcomeKind.AlreadyInStore, stored.Length);
    }

    private async Task<string?> VerifyReadBackAsync(string key, long length, string sha256, CancellationToken ct)
    {
        // A read can fail on the way (a dropped connection, a short body) while the stored object is fine: read once
        // more before calling the copy bad. A really bad copy fails both times and the local file is kept.
        string? problem = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                var (storedLength, storedSha) = await store.ReadBackAsync(key, ct);
                problem = storedLength != length
                    ? $"stored object has {storedLength} bytes, expected {length}"
                    : storedSha == sha256 ? null : $"stored object's SHA-256 is {storedSha}, expected {sha256}";
            }
            catch (ObjectStoreException ex) when (!ex.IsTransport)
            {
                problem = ex.Message;
            }
            if (problem is null)
            {
                return null;
            }
        }
        return problem;
    }

    private async Task<string?> VerifyMetadataAsync(string key, long length, string sha256, string md5, CancellationToken ct)
    {
        var stored = await store.HeadAsync(key, ct);
        return stored is null ? "object not found after upload" : MetadataMismatch(stored, length, sha256, md5, sha256MetadataRequired: true);
    }

    /// <summary>What a HEAD shows to differ from the local file, or null. Without the SHA-256 metadata a single-part ETag MD5 must match.</summary>
    private static string? MetadataMismatch(StoredObject stored, long length, string sha256, string md5, bool sha256MetadataRequired)
    {
        if (stored.Length != length)
        {
            return $"stored object has {stored.Length} bytes, expected {length}";
        }
        // Single-part ETags are the MD5 of the content on AWS (without SSE-KMS), MinIO and most compatible servers.
        var etag = stored.ETag?.Trim('"');
        var etagIsMd5 = etag is { Length: 32 } && !etag.Contains('-');
        if (stored.Sha256Metadata is null ? sha256MetadataRequired || !etagIsMd5 : stored.Sha256Metadata != sha256)
        {
            return $"stored object's sha256 metadata is '{stored.Sha256Metadata}', expected {sha256}";
        }
        if (etagIsMd5 && !string.Equals(etag, md5, StringComparison.OrdinalIgnoreCase))
        {
            return $"stored object's ETag {etag} is not the MD5 {md5} of the local file";
        }
        return null;
    }
}
