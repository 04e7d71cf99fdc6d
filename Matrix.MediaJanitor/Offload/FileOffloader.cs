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

        // A pulled-back copy of an offloaded file is usually identical to the stored object: skip the upload then.
        var needsUpload = true;
        if (item.AlreadyOffloaded)
        {
            var existing = await store.HeadAsync(key, ct);
            needsUpload = existing is null || existing.Length != length || existing.Sha256Metadata != sha256;
        }
        if (needsUpload)
        {
            await store.UploadAsync(key, path, length, sha256, ct);
        }

        var problem = metadataMode
            ? await VerifyMetadataAsync(key, length, sha256, md5!, ct)
            : await VerifyReadBackAsync(key, length, sha256, ct);
        if (problem is not null)
        {
            return new FileOutcome(FileOutcomeKind.Failed, length, $"verification of s3://{store.Bucket}/{key} failed: {problem}; local file kept");
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new FileOutcome(FileOutcomeKind.Failed, length, $"stored and verified, but the local file could not be deleted: {ex.Message}");
        }
        return new FileOutcome(FileOutcomeKind.Offloaded, length);
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
        if (stored is null)
        {
            return "object not found after upload";
        }
        if (stored.Length != length)
        {
            return $"stored object has {stored.Length} bytes, expected {length}";
        }
        if (stored.Sha256Metadata != sha256)
        {
            return $"stored object's sha256 metadata is '{stored.Sha256Metadata}', expected {sha256}";
        }
        // Single-part ETags are the MD5 of the content on AWS (without SSE-KMS), MinIO and most compatible servers.
        var etag = stored.ETag?.Trim('"');
        if (etag is { Length: 32 } && !etag.Contains('-') && !string.Equals(etag, md5, StringComparison.OrdinalIgnoreCase))
        {
            return $"stored object's ETag {etag} is not the MD5 {md5} of the local file";
        }
        return null;
    }
}
