namespace Matrix.MediaJanitor.Offload;

/// <summary>What happened to one file of a media item.</summary>
public enum FileOutcomeKind
{
    /// <summary>Uploaded (or found identical in S3), verified, local copy deleted.</summary>
    Offloaded,

    /// <summary>Not on local disk; S3 holds an object of the expected size (a previous run or Synapse's storage provider put it there).</summary>
    AlreadyInStore,

    /// <summary>Not on local disk and the media was recorded as offloaded: nothing to do.</summary>
    NothingToDo,

    /// <summary>Dry run: would be uploaded and deleted.</summary>
    WouldOffload,

    /// <summary>Written too recently (Synapse may still be writing it): left for a later run.</summary>
    SkippedRecent,

    /// <summary>Upload, verification or deletion failed: the local file is kept.</summary>
    Failed,

    /// <summary>Neither on local disk nor in S3.</summary>
    Missing,
}
