using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Matrix.MediaJanitor.Hosting;
using Matrix.MediaJanitor.Reporting;
using Matrix.Tests.MediaJanitor.Infrastructure;

namespace Matrix.Tests.MediaJanitor;

/// <summary>Progress lines a person can follow, OpenTelemetry instruments on the janitor's meter, a summary at the end.</summary>
[Collection(JanitorCollection.Name)]
public sealed class MetricsTests(JanitorServers servers)
{
    [Fact]
    public async Task ARunReportsProgressMetricsAndASummary()
    {
        await using var scenario = await JanitorScenario.CreateAsync(servers);
        var media = new List<MediaFixture>();
        for (var i = 0; i < 3; i++)
        {
            media.Add(await scenario.AddLocalMediaAsync(size: 10_000, thumbnails: 1));
        }
        var missing = await scenario.AddLocalMediaAsync(thumbnails: 0, writeFiles: false);
        var totals = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == JanitorMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var outcome = "";
            foreach (var tag in tags)
            {
                if (tag.Key is "outcome" or "result") outcome = "/" + tag.Value;
            }
            totals.AddOrUpdate(instrument.Name + outcome, value, (_, v) => v + value);
        });
        listener.Start();

        var result = await scenario.RunAsync("--once");

        Assert.Equal(ExitCodes.CompletedWithFailures, result.ExitCode);
        var offloadedBytes = media.SelectMany(m => m.Files).Sum(f => (long)f.Content.Length);
        Assert.Equal(6, totals.GetValueOrDefault("matrix.media_janitor.files/offloaded"));
        Assert.Equal(1, totals.GetValueOrDefault("matrix.media_janitor.files/missing"));
        Assert.Equal(offloadedBytes, totals.GetValueOrDefault("matrix.media_janitor.offloaded.bytes"));
        Assert.Equal(1, totals.GetValueOrDefault("matrix.media_janitor.runs/completed_with_failures"));
        Assert.Contains("progress: 4/4 media (100.0%), offloaded 6 files", result.Output);
        Assert.Contains("files/s", result.Output);
        Assert.Contains("ETA", result.Output);
        Assert.Contains($"offloaded:             6 files", result.Output);
        Assert.Contains($"({offloadedBytes:N0} bytes)", result.Output);
        Assert.Contains(missing.Original.RelativePath, result.Output);
    }
}
