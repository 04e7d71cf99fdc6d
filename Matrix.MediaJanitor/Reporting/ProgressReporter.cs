using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Matrix.MediaJanitor.Reporting;

/// <summary>Prints a progress line at a fixed interval: media scanned of total, files and bytes, rates, ETA.</summary>
public sealed partial class ProgressReporter(RunStatistics stats, ILogger logger, TimeSpan interval, bool dryRun)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                LogProgress(logger, Describe());
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public string Describe()
    {
        var elapsed = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        var scanned = Interlocked.Read(ref stats.MediaScanned);
        var total = Math.Max(Interlocked.Read(ref stats.MediaTotal), scanned);
        var files = dryRun ? Interlocked.Read(ref stats.FilesWouldOffload) : Interlocked.Read(ref stats.FilesOffloaded);
        var bytes = dryRun ? Interlocked.Read(ref stats.BytesWouldOffload) : Interlocked.Read(ref stats.BytesOffloaded);
        var percent = total == 0 ? 100 : 100.0 * scanned / total;
        var mediaRate = scanned / elapsed;
        var eta = mediaRate > 0 && total > scanned ? TimeSpan.FromSeconds((total - scanned) / mediaRate) : TimeSpan.Zero;
        var verb = dryRun ? "would offload" : "offloaded";
        return string.Create(CultureInfo.InvariantCulture,
            $"progress: {scanned:N0}/{total:N0} media ({percent:0.0}%), {verb} {files:N0} files / {ByteSize.Format(bytes)}, " +
            $"{files / elapsed:0.0} files/s, {ByteSize.Format(bytes / elapsed)}/s, ETA {eta:hh\\:mm\\:ss}, " +
            $"failed {Interlocked.Read(ref stats.FilesFailed)}, missing {Interlocked.Read(ref stats.FilesMissing)}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Progress}")]
    private static partial void LogProgress(ILogger logger, string progress);
}
