using System.Text.Json;
using Matrix.MediaJanitor.Configuration;
using Matrix.MediaJanitor.MediaStore;
using Matrix.MediaJanitor.Reporting;
using Matrix.MediaJanitor.State;
using Matrix.MediaJanitor.Storage;
using Matrix.MediaJanitor.Synapse;
using Microsoft.Extensions.Logging;

namespace Matrix.MediaJanitor.Offload;

/// <summary>
/// The offload pass: media items stream from <see cref="MediaItemSource"/> into a bounded number of workers; each
/// worker handles one media item (original then thumbnails). A media counts as offloaded only when every file is safe.
/// </summary>
public sealed class OffloadRunner(
    MediaItemSource source, FileOffloader offloader, TransportFailureStreak transportFailures, StateRecorder? recorder, EmptyFolderPruner pruner, OffloadOptions options,
    RunStatistics stats, JanitorMetrics metrics, TimeProvider time, ILogger logger)
{
    /// <summary>Consecutive transport failures after which S3 is declared unreachable and the pass stops.</summary>
    public const int UnreachableThreshold = 25;

    public async Task RunAsync(long cutoffMs, bool dryRun, CancellationToken ct)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = abort.Token };
        try
        {
            await Parallel.ForEachAsync(source.EnumerateAsync(cutoffMs, abort.Token), parallel, async (item, token) =>
            {
                await ProcessAsync(item, dryRun, token);
                if (transportFailures.Length >= UnreachableThreshold)
                {
                    await abort.CancelAsync();
                }
            });
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DependencyUnavailableException($"S3 became unreachable: {UnreachableThreshold} requests in a row failed to connect; stopping.");
        }
    }

    private async Task ProcessAsync(MediaItem item, bool dryRun, CancellationToken ct)
    {
        var complete = true;
        var files = 0;
        long bytes = 0;
        foreach (var file in item.Files)
        {
            var outcome = await OffloadOneAsync(item, file, dryRun, ct);
            Count(item, file, outcome);
            if (outcome.Kind == FileOutcomeKind.Offloaded)
            {
                files++;
                bytes += outcome.Bytes;
            }
            complete &= outcome.IsSafe;
        }
        Interlocked.Increment(ref stats.MediaScanned);
        if (dryRun)
        {
            return;
        }
        if (!complete)
        {
            Interlocked.Increment(ref stats.MediaIncomplete);
            return;
        }
        Interlocked.Increment(ref stats.MediaCompleted);
        // Every file is safe in S3: folders this media's files left empty on an earlier run can go now.
        Interlocked.Add(ref stats.FoldersRemoved, pruner.Prune(item.Files.Select(f => f.RelativePath)));
        if (recorder is not null && (!item.AlreadyOffloaded || files > 0))
        {
            await recorder.RecordAsync(new OffloadedMedia(item.Kind, item.Origin, item.MediaId, files, bytes, time.GetUtcNow().ToUnixTimeMilliseconds()), ct);
        }
    }

    private async Task<FileOutcome> OffloadOneAsync(MediaItem item, MediaFile file, bool dryRun, CancellationToken ct)
    {
        try
        {
            // The object store counts transport failures and resets the count only on a request S3 answered.
            return await offloader.OffloadAsync(item, file, dryRun, ct);
        }
        catch (ObjectStoreException ex)
        {
            return new FileOutcome(FileOutcomeKind.Failed, 0, ex.Message + "; local file kept");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new FileOutcome(FileOutcomeKind.Failed, 0, $"local file could not be read: {ex.Message}; kept");
        }
    }

    private void Count(MediaItem item, MediaFile file, FileOutcome outcome)
    {
        if (outcome.Kind != FileOutcomeKind.NothingToDo)
        {
            // The outcome's name in the metric's snake_case: already_in_store, skipped_recent...
            metrics.Files.Add(1, new KeyValuePair<string, object?>("outcome", JsonNamingPolicy.SnakeCaseLower.ConvertName(outcome.Kind.ToString())));
        }
        switch (outcome.Kind)
        {
            case FileOutcomeKind.Offloaded:
                Interlocked.Increment(ref stats.FilesOffloaded);
                Interlocked.Add(ref stats.BytesOffloaded, outcome.Bytes);
                metrics.BytesOffloaded.Add(outcome.Bytes);
                if (outcome.Uploaded)
                {
                    Interlocked.Increment(ref stats.FilesUploaded);
                    Interlocked.Add(ref stats.BytesUploaded, outcome.Bytes);
                    metrics.BytesUploaded.Add(outcome.Bytes);
                }
                if (item.AlreadyOffloaded)
                {
                    Interlocked.Increment(ref stats.FilesPulledBack);
                    logger.OffloadedAgain(file.RelativePath);
                }
                break;
            case FileOutcomeKind.AlreadyInStore:
                Interlocked.Increment(ref stats.FilesAlreadyInStore);
                break;
            case FileOutcomeKind.WouldOffload:
                Interlocked.Increment(ref stats.FilesWouldOffload);
                Interlocked.Add(ref stats.BytesWouldOffload, outcome.Bytes);
                logger.WouldOffload(file.RelativePath, outcome.Bytes);
                break;
            case FileOutcomeKind.SkippedRecent:
                Interlocked.Increment(ref stats.FilesSkippedRecent);
                break;
            case FileOutcomeKind.Failed:
                Interlocked.Increment(ref stats.FilesFailed);
                logger.FileFailed(item.Describe(), file.RelativePath, outcome.Reason);
                break;
            case FileOutcomeKind.Missing:
                Interlocked.Increment(ref stats.FilesMissing);
                logger.FileMissing(item.Describe(), file.RelativePath, outcome.Reason);
                break;
        }
    }
}
