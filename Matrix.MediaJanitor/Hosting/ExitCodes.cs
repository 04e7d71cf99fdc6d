namespace Matrix.MediaJanitor.Hosting;

/// <summary>Process exit codes (docs/media-janitor.md lists them for CronJob and alerting rules).</summary>
public static class ExitCodes
{
    /// <summary>Everything eligible was offloaded (or nothing needed doing).</summary>
    public const int Success = 0;

    /// <summary>The run finished but some files were not offloaded (failed verification, S3 errors, missing files) or a reconciliation/purge step failed.</summary>
    public const int CompletedWithFailures = 1;

    /// <summary>Bad command line or configuration; nothing was done.</summary>
    public const int InvalidConfiguration = 2;

    /// <summary>Another run holds the lock; this one did nothing and exited.</summary>
    public const int AnotherRunActive = 3;

    /// <summary>Database or S3 unreachable (or bucket missing); the run stopped and deleted nothing further.</summary>
    public const int DependencyUnavailable = 4;

    /// <summary>An unforeseen error stopped the run (a bug: please report it); nothing unverified was deleted.</summary>
    public const int UnexpectedError = 70;

    /// <summary>Stopped by SIGINT/SIGTERM; work in flight was abandoned safely.</summary>
    public const int Cancelled = 130;
}
