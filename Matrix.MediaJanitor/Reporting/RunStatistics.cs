namespace Matrix.MediaJanitor.Reporting;

/// <summary>Counters of one run, updated by parallel workers (Interlocked), read by the progress reporter.</summary>
public sealed class RunStatistics
{
    public long MediaTotal;
    public long MediaScanned;
    public long MediaCompleted;
    public long MediaIncomplete;
    public long FilesOffloaded;
    public long BytesOffloaded;
    public long FilesPulledBack;
    public long FilesUploaded;
    public long BytesUploaded;
    public long FilesAlreadyInStore;
    public long FilesFailed;
    public long FilesMissing;
    public long FilesSkippedRecent;
    public long RowsInvalid;
    public long FoldersRemoved;
    public long FilesWouldOffload;
    public long BytesWouldOffload;

    public long ObjectsListed;
    public long OrphansFound;
    public long OrphansWaiting;
    public long OrphansDeleted;
    public long OrphanBytesDeleted;
    public long OrphansWouldDelete;
    public long ObjectsUnrecognized;
    public long ReconciliationErrors;

    public long RemoteCachePurged = -1;
    public bool PurgeFailed;

    public bool HasFailures => FilesFailed > 0 || FilesMissing > 0 || ReconciliationErrors > 0 || PurgeFailed;
}
