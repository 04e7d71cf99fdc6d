using System.Diagnostics.Metrics;

namespace Matrix.MediaJanitor.Reporting;

/// <summary>The janitor's OpenTelemetry instruments, exported through Matrix.ServiceDefaults' AddMatrixTelemetry.</summary>
public sealed class JanitorMetrics : IDisposable
{
    public const string MeterName = "Matrix.MediaJanitor";

    private readonly Meter _meter;

    public JanitorMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        Files = _meter.CreateCounter<long>("matrix.media_janitor.files", "{file}",
            "Media files handled, by outcome (offloaded, already_in_store, failed, missing, skipped_recent).");
        BytesOffloaded = _meter.CreateCounter<long>("matrix.media_janitor.offloaded.bytes", "By",
            "Bytes uploaded, verified and deleted from the local media store.");
        BytesUploaded = _meter.CreateCounter<long>("matrix.media_janitor.uploaded.bytes", "By",
            "Bytes PUT to S3 (less than offloaded when S3 already held identical copies).");
        OrphansDeleted = _meter.CreateCounter<long>("matrix.media_janitor.orphans.deleted", "{object}",
            "S3 objects removed because Synapse no longer has their media row.");
        RemoteCachePurged = _meter.CreateCounter<long>("matrix.media_janitor.remote_cache.purged", "{media}",
            "Remote media Synapse's purge_media_cache reported deleted.");
        Runs = _meter.CreateCounter<long>("matrix.media_janitor.runs", "{run}", "Runs, by result.");
        RunDuration = _meter.CreateHistogram<double>("matrix.media_janitor.run.duration", "s", "Duration of a run.");
    }

    public Counter<long> Files { get; }

    public Counter<long> BytesOffloaded { get; }

    public Counter<long> BytesUploaded { get; }

    public Counter<long> OrphansDeleted { get; }

    public Counter<long> RemoteCachePurged { get; }

    public Counter<long> Runs { get; }

    public Histogram<double> RunDuration { get; }

    public void Dispose() => _meter.Dispose();
}
