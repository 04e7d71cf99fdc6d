using Microsoft.Extensions.Logging;

namespace Matrix.MediaJanitor.Reporting;

/// <summary>The end-of-run summary: one block a person reads in the CronJob log.</summary>
public static partial class RunSummary
{
    public static void Log(ILogger logger, RunStatistics s, bool dryRun, TimeSpan elapsed, string result)
    {
        var lines = new List<string>
        {
            $"summary ({(dryRun ? "DRY RUN, nothing changed" : result)}, {elapsed:hh\\:mm\\:ss}):",
            $"  media examined:        {s.MediaScanned:N0} of {s.MediaTotal:N0} old enough",
        };
        if (dryRun)
        {
            lines.Add($"  would offload:         {s.FilesWouldOffload:N0} files, {ByteSize.Format(s.BytesWouldOffload)} ({s.BytesWouldOffload:N0} bytes)");
        }
        else
        {
            lines.Add($"  offloaded:             {s.FilesOffloaded:N0} files, {ByteSize.Format(s.BytesOffloaded)} freed ({s.BytesOffloaded:N0} bytes)");
            lines.Add($"    of which pulled back: {s.FilesPulledBack:N0} files offloaded again");
            lines.Add($"    uploaded:            {s.FilesUploaded:N0} files, {ByteSize.Format(s.BytesUploaded)} sent ({s.BytesUploaded:N0} bytes); " +
                      $"{s.FilesOffloaded - s.FilesUploaded:N0} files were already identical in S3 (no upload)");
            lines.Add($"  media complete in S3:  {s.MediaCompleted:N0}; incomplete: {s.MediaIncomplete:N0}");
            lines.Add($"  empty folders removed: {s.FoldersRemoved:N0}");
        }
        lines.Add($"  already in S3:         {s.FilesAlreadyInStore:N0} files (not on local disk)");
        lines.Add($"  skipped (recent):      {s.FilesSkippedRecent:N0} files written too recently");
        lines.Add($"  FAILED (kept locally): {s.FilesFailed:N0} files");
        lines.Add($"  MISSING (disk and S3): {s.FilesMissing:N0} files");
        if (s.RowsInvalid > 0)
        {
            lines.Add($"  invalid rows skipped:  {s.RowsInvalid:N0}");
        }
        if (s.ObjectsListed > 0 || s.OrphansFound > 0)
        {
            lines.Add($"  reconciliation:        {s.ObjectsListed:N0} objects listed, {s.OrphansFound:N0} without a media row, " +
                      (dryRun ? $"{s.OrphansWouldDelete:N0} would be deleted, {s.OrphansWaiting:N0} in grace period"
                              : $"{s.OrphansDeleted:N0} deleted ({ByteSize.Format(s.OrphanBytesDeleted)}), {s.OrphansWaiting:N0} in grace period") +
                      $", {s.ObjectsUnrecognized:N0} unrecognized keys left alone, {s.ReconciliationErrors:N0} errors");
        }
        if (s.RemoteCachePurged >= 0 || s.PurgeFailed)
        {
            lines.Add(s.PurgeFailed ? "  remote cache purge:    FAILED" : $"  remote cache purge:    {s.RemoteCachePurged:N0} media purged by Synapse");
        }
        var level = s.HasFailures ? LogLevel.Warning : LogLevel.Information;
        LogSummary(logger, level, string.Join(Environment.NewLine, lines));
    }

    [LoggerMessage(Message = "{Summary}")]
    private static partial void LogSummary(ILogger logger, LogLevel level, string summary);
}
