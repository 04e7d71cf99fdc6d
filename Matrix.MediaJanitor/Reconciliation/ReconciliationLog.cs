using Microsoft.Extensions.Logging;

namespace Matrix.MediaJanitor.Reconciliation;

/// <summary>What reconciliation tells the operator, as structured events.</summary>
internal static partial class ReconciliationLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "orphan {Key} ({Bytes} bytes): {Action}")]
    public static partial void OrphanFound(this ILogger logger, string key, long bytes, string action);

    [LoggerMessage(Level = LogLevel.Information, Message = "deleted orphan {Key} ({Bytes} bytes)")]
    public static partial void OrphanDeleted(this ILogger logger, string key, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not delete orphan: {Reason}")]
    public static partial void OrphanNotDeleted(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "reconciliation refuses to delete: {Orphans} of {Listed} objects have no media row (more than Janitor:Reconciliation:MaxOrphanFraction = {Fraction}). " +
        "Check that Janitor:Database:ConnectionString points at the right Synapse database.")]
    public static partial void RefusingToDelete(this ILogger logger, long orphans, long listed, double fraction);
}
