using System.Diagnostics;
using Amazon.S3;
using Matrix.MediaJanitor.Configuration;
using Matrix.MediaJanitor.MediaStore;
using Matrix.MediaJanitor.Offload;
using Matrix.MediaJanitor.Reconciliation;
using Matrix.MediaJanitor.Reporting;
using Matrix.MediaJanitor.State;
using Matrix.MediaJanitor.Storage;
using Matrix.MediaJanitor.Synapse;
using Matrix.MediaJanitor.SynapseAdmin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Matrix.MediaJanitor.Hosting;

/// <summary>
/// One complete run: lock, checks of every dependency before touching anything, remote cache purge, offload,
/// reconciliation, summary. Returns the exit code.
/// </summary>
public sealed class JanitorRun(
    JanitorOptions options,
    [FromKeyedServices(JanitorServices.SynapseDatabase)] NpgsqlDataSource synapseDb,
    [FromKeyedServices(JanitorServices.StateDatabase)] NpgsqlDataSource stateDb,
    IAmazonS3 s3,
    RemoteMediaCachePurger purger,
    JanitorMetrics metrics,
    TimeProvider time,
    ILogger<JanitorRun> logger)
{
    /// <summary>
    /// After a run that ended with <see cref="ExitCodes.DependencyUnavailable"/>: what it could not reach (the database
    /// or S3, and where), for the health check. Never holds credentials: hosts, ports, buckets and the client's error.
    /// </summary>
    public string? Problem { get; private set; }

    public async Task<int> ExecuteAsync(bool dryRun, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var stats = new RunStatistics();
        var code = await ExecuteCoreAsync(dryRun, stats, ct);
        var result = code switch
        {
            ExitCodes.Success => "success",
            ExitCodes.CompletedWithFailures => "completed_with_failures",
            ExitCodes.AnotherRunActive => "another_run_active",
            ExitCodes.DependencyUnavailable => "dependency_unavailable",
            ExitCodes.Cancelled => "cancelled",
            _ => "unexpected_error",
        };
        metrics.Runs.Add(1, new KeyValuePair<string, object?>("result", result), new KeyValuePair<string, object?>("dry_run", dryRun));
        metrics.RunDuration.Record(clock.Elapsed.TotalSeconds, new KeyValuePair<string, object?>("result", result));
        if (code is ExitCodes.Success or ExitCodes.CompletedWithFailures or ExitCodes.Cancelled or ExitCodes.UnexpectedError ||
            code == ExitCodes.DependencyUnavailable && stats.MediaScanned > 0)
        {
            RunSummary.Log(logger, stats, dryRun, clock.Elapsed, result);
        }
        return code;
    }

    private async Task<int> ExecuteCoreAsync(bool dryRun, RunStatistics stats, CancellationToken ct)
    {
        var store = new ObjectStore(s3, options.S3, options.Offload);
        var catalog = new SynapseMediaCatalog(synapseDb);
        RunLock? runLock;
        try
        {
            runLock = await RunLock.TryAcquireAsync(stateDb, ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !ct.IsCancellationRequested)
        {
            logger.StateDatabaseUnavailable(DescribeDatabase(stateDb), ex.Message);
            Problem = $"the state database ({DescribeDatabase(stateDb)}): {ex.Message}";
            return ExitCodes.DependencyUnavailable;
        }
        if (runLock is null)
        {
            logger.AnotherRunActive(RunLock.Key);
            return ExitCodes.AnotherRunActive;
        }

        await using (runLock)
        {
            // If the lock's session dies (database restart, network), PostgreSQL has released the lock and another
            // run may start: stop this one. Nothing is lost either way, each file is verified before it is deleted.
            using var run = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var stopWatchdog = new CancellationTokenSource();
            var lockLost = false;
            var watchdog = WatchLockAsync(runLock, () =>
            {
                lockLost = true;
                run.Cancel();
            }, stopWatchdog.Token);
            try
            {
                return await ExecuteLockedAsync(store, catalog, dryRun, stats, ct, run.Token);
            }
            catch (OperationCanceledException) when (lockLost && !ct.IsCancellationRequested)
            {
                logger.RunLockLost();
                Problem = $"the state database ({DescribeDatabase(stateDb)}): the run lock's session ended";
                return ExitCodes.DependencyUnavailable;
            }
            finally
            {
                await stopWatchdog.CancelAsync();
                await watchdog;
            }
        }
    }

    /// <summary>Checks the lock's session every <see cref="LockCheckInterval"/>; calls <paramref name="onLost"/> once when it is gone.</summary>
    private static async Task WatchLockAsync(RunLock runLock, Action onLost, CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(LockCheckInterval);
            while (await timer.WaitForNextTickAsync(ct))
            {
                if (!await runLock.IsHeldAsync(ct))
                {
                    onLost();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public static readonly TimeSpan LockCheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>Runs the steps under the lock and maps how they ended to an exit code, logging why.</summary>
    private async Task<int> ExecuteLockedAsync(ObjectStore store, SynapseMediaCatalog catalog, bool dryRun, RunStatistics stats, CancellationToken stop, CancellationToken ct)
    {
        try
        {
            await RunStepsAsync(store, catalog, dryRun, stats, ct);
            return stats.HasFailures ? ExitCodes.CompletedWithFailures : ExitCodes.Success;
        }
        catch (DependencyUnavailableException ex)
        {
            logger.DependencyUnavailable(ex.Message);
            Problem = ex.Message;
            return ExitCodes.DependencyUnavailable;
        }
        catch (ObjectStoreException ex) when (ex.IsTransport)
        {
            logger.ObjectStoreUnreachable(ex.Message);
            Problem = $"S3 at {store.Endpoint}: {ex.Message}";
            return ExitCodes.DependencyUnavailable;
        }
        catch (NpgsqlException ex) when (!ct.IsCancellationRequested)
        {
            logger.DatabaseError(ex.Message);
            Problem = $"a database ({DescribeDatabase(synapseDb)} or the state database): {ex.Message}";
            return ExitCodes.DependencyUnavailable;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            logger.RunCancelled();
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug or an unforeseen failure: files are deleted only after verification, so stopping here is safe.
            logger.UnexpectedError(ex.GetType().Name, ex.Message);
            return ExitCodes.UnexpectedError;
        }
    }

    /// <summary>Checks every dependency before touching anything, then purge, offload and reconciliation.</summary>
    private async Task RunStepsAsync(ObjectStore store, SynapseMediaCatalog catalog, bool dryRun, RunStatistics stats, CancellationToken ct)
    {
        logger.RunStarted(dryRun ? " (DRY RUN: nothing will be changed)" : "", options.MediaStore.Path, store.Bucket, options.S3.Prefix, store.Endpoint);
        try
        {
            await catalog.InspectAsync(ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !ct.IsCancellationRequested)
        {
            throw new DependencyUnavailableException($"cannot query Synapse's database ({DescribeDatabase(synapseDb)}): {ex.Message}", ex);
        }
        await store.PreflightAsync(ct);

        var state = new JanitorStateStore(stateDb, options.Database.StateSchema);
        JanitorStateStore? readableState = state;
        if (!dryRun)
        {
            await state.EnsureCreatedAsync(ct);
        }
        else if (!await state.ExistsAsync(ct))
        {
            readableState = null;
        }

        await PurgeRemoteCacheAsync(dryRun, stats, ct);
        await OffloadAsync(catalog, store, readableState, dryRun, stats, ct);
        if (options.Reconciliation.Enabled)
        {
            await ReconcileAsync(store, catalog, readableState, dryRun, stats, ct);
        }
    }

    private async Task ReconcileAsync(ObjectStore store, SynapseMediaCatalog catalog, JanitorStateStore? state, bool dryRun, RunStatistics stats, CancellationToken ct)
    {
        logger.ReconciliationStarted(store.Bucket, options.S3.Prefix, options.Reconciliation.GracePeriod.ToString());
        try
        {
            await new OrphanReconciler(store, catalog, state, options.S3, options.Reconciliation, stats, metrics, time, logger).RunAsync(dryRun, ct);
        }
        catch (ObjectStoreException ex) when (!ex.IsTransport)
        {
            // e.g. AccessDenied on LIST: the offload is done, only the reconciliation could not run.
            Interlocked.Increment(ref stats.ReconciliationErrors);
            logger.ReconciliationFailed(ex.Message);
        }
    }

    private async Task OffloadAsync(SynapseMediaCatalog catalog, ObjectStore store, JanitorStateStore? state, bool dryRun, RunStatistics stats, CancellationToken ct)
    {
        var off = options.Offload;
        var cutoff = time.GetUtcNow() - off.MinimumAge.Value;
        var cutoffMs = cutoff.ToUnixTimeMilliseconds();
        stats.MediaTotal = await catalog.CountCandidatesAsync(off.IncludeLocalMedia, off.IncludeRemoteMedia, cutoffMs, ct);
        logger.OffloadStarted(stats.MediaTotal, cutoff, off.MinimumAge.ToString(), off.Parallelism, off.Verification.ToString());

        var recorder = dryRun ? null : new StateRecorder(state!, ct);
        var source = new MediaItemSource(catalog, state, options.MediaStore.Path!, off, stats, logger);
        var offloader = new FileOffloader(store, options.MediaStore.Path!, off, time);
        var runner = new OffloadRunner(source, offloader, store.TransportFailures, recorder,
            new EmptyFolderPruner(options.MediaStore.Path!, off.MinimumFileAge.Value, time), off, stats, metrics, time, logger);
        var progress = new ProgressReporter(stats, logger, options.ProgressInterval.Value, dryRun);
        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progressTask = progress.RunAsync(stopProgress.Token);
        try
        {
            await runner.RunAsync(cutoffMs, dryRun, ct);
        }
        finally
        {
            await stopProgress.CancelAsync();
            await progressTask;
            if (recorder is not null)
            {
                // Flush what finished, even when the pass stopped early: those media are safe and recorded.
                try
                {
                    await recorder.CompleteAsync();
                }
                catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
                {
                    logger.StateNotRecorded(ex.Message);
                }
            }
        }
        logger.OffloadFinished(progress.Describe());
    }

    private async Task PurgeRemoteCacheAsync(bool dryRun, RunStatistics stats, CancellationToken ct)
    {
        if (options.SynapseAdmin.PurgeRemoteMediaOlderThan is not { } age)
        {
            return;
        }
        var before = (time.GetUtcNow() - age.Value).ToUnixTimeMilliseconds();
        if (dryRun)
        {
            logger.WouldPurgeRemoteCache(before);
            return;
        }
        try
        {
            var deleted = await purger.PurgeAsync(before, ct);
            stats.RemoteCachePurged = deleted;
            metrics.RemoteCachePurged.Add(deleted);
            logger.RemoteCachePurged(deleted, before);
        }
        catch (SynapseAdminException ex)
        {
            stats.PurgeFailed = true;
            logger.RemoteCachePurgeFailed(ex.Message);
        }
    }

    /// <summary>Host, port and database of a data source: enough to find it, never the password.</summary>
    private static string DescribeDatabase(NpgsqlDataSource dataSource)
    {
        var b = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return $"host {b.Host}, port {b.Port}, database {b.Database}";
    }
}
