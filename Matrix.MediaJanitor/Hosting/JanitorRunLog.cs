using Microsoft.Extensions.Logging;

namespace Matrix.MediaJanitor.Hosting;

/// <summary>What a run tells the operator, as structured events (each argument a named field for log backends).</summary>
internal static partial class JanitorRunLog
{
    private const string NothingUnverifiedDeleted = "The run stopped; no local file was deleted without a verified copy.";

    [LoggerMessage(Level = LogLevel.Information, Message = "media janitor run started{DryRun}: media store {Path}, bucket s3://{Bucket}/{Prefix} at {Endpoint}")]
    public static partial void RunStarted(this ILogger logger, string dryRun, string? path, string bucket, string prefix, string endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "cannot connect to the state database ({Where}): {Reason}. Nothing was changed.")]
    public static partial void StateDatabaseUnavailable(this ILogger logger, string where, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "another media janitor run holds the lock (PostgreSQL advisory lock {Key}); this run exits without doing anything.")]
    public static partial void AnotherRunActive(this ILogger logger, long key);

    [LoggerMessage(Level = LogLevel.Error, Message = "lost the run lock (its database session ended); the run stopped. No local file was deleted without a verified copy.")]
    public static partial void RunLockLost(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "reconciliation: listing s3://{Bucket}/{Prefix} (grace period {Grace})")]
    public static partial void ReconciliationStarted(this ILogger logger, string bucket, string prefix, string grace);

    [LoggerMessage(Level = LogLevel.Error, Message = "reconciliation failed: {Reason}")]
    public static partial void ReconciliationFailed(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason} " + NothingUnverifiedDeleted)]
    public static partial void DependencyUnavailable(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason}. " + NothingUnverifiedDeleted)]
    public static partial void ObjectStoreUnreachable(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "database error: {Reason}. " + NothingUnverifiedDeleted)]
    public static partial void DatabaseError(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "run cancelled; files in flight keep their local copy and the next run finishes the job.")]
    public static partial void RunCancelled(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "unexpected {Type}: {Reason}. " + NothingUnverifiedDeleted)]
    public static partial void UnexpectedError(this ILogger logger, string type, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "offload: {Count} media last accessed before {Cutoff:u} (older than {Age}), {Parallelism} at a time, verification {Mode}")]
    public static partial void OffloadStarted(this ILogger logger, long count, DateTimeOffset cutoff, string age, int parallelism, string mode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not record every offloaded media ({Reason}); the next run re-checks them.")]
    public static partial void StateNotRecorded(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Progress}")]
    public static partial void OffloadFinished(this ILogger logger, string progress);

    [LoggerMessage(Level = LogLevel.Information, Message = "would ask Synapse to purge remote media cached and last accessed before {Before} (purge_media_cache)")]
    public static partial void WouldPurgeRemoteCache(this ILogger logger, long before);

    [LoggerMessage(Level = LogLevel.Information, Message = "Synapse purged {Deleted} remote media last accessed before {Before} (purge_media_cache)")]
    public static partial void RemoteCachePurged(this ILogger logger, long deleted, long before);

    [LoggerMessage(Level = LogLevel.Error, Message = "remote media cache purge failed: {Reason}")]
    public static partial void RemoteCachePurgeFailed(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "next run in {Interval} (exit status of this run: {Code})")]
    public static partial void NextRun(this ILogger logger, string interval, int code);

    [LoggerMessage(Level = LogLevel.Error, Message = "configuration: {Error}")]
    public static partial void ConfigurationProblem(this ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "nothing was done: fix the configuration above (see docs/media-janitor.md).")]
    public static partial void NothingDone(this ILogger logger);
}
