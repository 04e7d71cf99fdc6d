using Matrix.MediaJanitor.Configuration;
using Matrix.MediaJanitor.MediaStore;
using Matrix.MediaJanitor.Reporting;
using Matrix.MediaJanitor.State;
using Matrix.MediaJanitor.Storage;
using Matrix.MediaJanitor.Synapse;
using Microsoft.Extensions.Logging;

namespace Matrix.MediaJanitor.Reconciliation;

/// <summary>
/// Finds S3 objects whose media row Synapse has deleted (retention, admin delete, deactivation, purged remote cache)
/// and removes them once they have been seen orphaned for the grace period. Pass 1 lists and records sightings; pass 2
/// deletes, only if the share of orphans looks sane and after re-checking that each row is still absent.
/// </summary>
public sealed class OrphanReconciler(
    ObjectStore store, SynapseMediaCatalog catalog, JanitorStateStore? state, S3Options s3, ReconciliationOptions options,
    RunStatistics stats, JanitorMetrics metrics, TimeProvider time, ILogger logger)
{
    private static readonly string[] Categories =
        [MediaStoreLayout.LocalContent, MediaStoreLayout.LocalThumbnails, MediaStoreLayout.RemoteContent, MediaStoreLayout.RemoteThumbnails];

    public async Task RunAsync(bool dryRun, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var expiredBefore = now - (long)options.GracePeriod.Value.TotalMilliseconds;
        var expiring = await ListAndRecordAsync(now, expiredBefore, dryRun, ct);
        if (dryRun)
        {
            return;
        }
        await state!.ForgetOrphansNotSeenAsync(now, ct);

        var listed = Interlocked.Read(ref stats.ObjectsListed);
        var found = Interlocked.Read(ref stats.OrphansFound);
        if (expiring == 0)
        {
            return;
        }
        if (await catalog.CountAllMediaAsync(ct) == 0 || found > options.MaxOrphanFraction * listed)
        {
            Interlocked.Increment(ref stats.ReconciliationErrors);
            logger.RefusingToDelete(found, listed, options.MaxOrphanFraction);
            return;
        }
        await DeleteExpiredAsync(now, expiredBefore, ct);
    }

    /// <summary>Pass 1: lists every category, records each orphan's sighting; returns how many are past their grace period.</summary>
    private async Task<long> ListAndRecordAsync(long now, long expiredBefore, bool dryRun, CancellationToken ct)
    {
        var known = state is not null && await state.ExistsAsync(ct);
        long expiring = 0;
        foreach (var category in Categories)
        {
            await foreach (var page in store.ListPagesAsync(s3.Prefix + category + "/", ct))
            {
                Interlocked.Add(ref stats.ObjectsListed, page.Count);
                var orphans = await FindOrphansAsync(page.Select(o => (o.Key, o.Size ?? 0)).ToList(), ct);
                if (orphans.Count == 0)
                {
                    continue;
                }
                Interlocked.Add(ref stats.OrphansFound, orphans.Count);
                var firstSeen = known ? await state!.OrphanFirstSeenAsync(orphans.Select(o => o.Key).ToList(), ct) : [];
                foreach (var (key, size) in orphans)
                {
                    // A first sighting starts the grace period now (a zero grace period expires at once).
                    var expired = (firstSeen.TryGetValue(key, out var seen) ? seen : now) <= expiredBefore;
                    expiring += expired ? 1 : 0;
                    Count(key, size, expired, dryRun);
                }
                if (!dryRun)
                {
                    await state!.MarkOrphansSeenAsync(orphans, now, ct);
                }
            }
        }
        return expiring;
    }

    private void Count(string key, long size, bool expired, bool dryRun)
    {
        if (dryRun)
        {
            Interlocked.Increment(ref expired ? ref stats.OrphansWouldDelete : ref stats.OrphansWaiting);
            logger.OrphanFound(key, size, expired ? "would be deleted (grace period over)" : "would start or continue its grace period");
        }
        else if (!expired)
        {
            Interlocked.Increment(ref stats.OrphansWaiting);
        }
    }

    private async Task DeleteExpiredAsync(long seenAt, long expiredBefore, CancellationToken ct)
    {
        var after = "";
        while (true)
        {
            var batch = await state!.ExpiredOrphansAsync(seenAt, expiredBefore, after, 500, ct);
            if (batch.Count == 0)
            {
                return;
            }
            after = batch[^1].Key;
            // The row may have come back since the listing (a restored backup, a re-download): check again.
            var stillOrphaned = await FindOrphansAsync(batch, ct);
            var deleted = new List<string>();
            foreach (var (key, size) in stillOrphaned)
            {
                try
                {
                    await store.DeleteAsync(key, ct);
                    deleted.Add(key);
                    Interlocked.Increment(ref stats.OrphansDeleted);
                    Interlocked.Add(ref stats.OrphanBytesDeleted, size);
                    metrics.OrphansDeleted.Add(1);
                    logger.OrphanDeleted(key, size);
                }
                catch (ObjectStoreException ex)
                {
                    Interlocked.Increment(ref stats.ReconciliationErrors);
                    logger.OrphanNotDeleted(ex.Message);
                }
            }
            await state.ForgetOrphansAsync(deleted, ct);
        }
    }

    /// <summary>The objects among these whose media row no longer exists; unrecognized keys are counted and left alone.</summary>
    private async Task<List<(string Key, long Size)>> FindOrphansAsync(IReadOnlyList<(string Key, long Size)> objects, CancellationToken ct)
    {
        var parsed = new List<(string Key, long Size, MediaReference Ref)>();
        foreach (var (key, size) in objects)
        {
            var reference = ObjectKeyParser.Parse(s3.Prefix, key);
            if (reference is null)
            {
                Interlocked.Increment(ref stats.ObjectsUnrecognized);
                continue;
            }
            parsed.Add((key, size, reference));
        }
        var local = await catalog.ExistingLocalMediaAsync(
            parsed.Where(p => p.Ref.Kind == MediaKind.Local).Select(p => p.Ref.Id).Distinct().ToList(), ct);
        var remote = await catalog.ExistingRemoteFilesAsync(
            parsed.Where(p => p.Ref.Kind == MediaKind.Remote).Select(p => (p.Ref.Origin, p.Ref.Id)).Distinct().ToList(), ct);
        return parsed
            .Where(p => p.Ref.Kind == MediaKind.Local ? !local.Contains(p.Ref.Id) : !remote.Contains(SynapseMediaCatalog.RemoteKey(p.Ref.Origin, p.Ref.Id)))
            .Select(p => (p.Key, p.Size))
            .ToList();
    }
}
