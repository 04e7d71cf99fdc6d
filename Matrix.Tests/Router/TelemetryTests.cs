using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Matrix.Router.Telemetry;
using Matrix.ServiceDefaults;
using Matrix.Tests.Router.Support;
using Matrix.Tests.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;

namespace Matrix.Tests.Router;

/// <summary>Metrics per pool and instance, and the trace carried across the hop to Synapse.</summary>
public class TelemetryTests
{
    [Fact]
    public async Task RequestsFallbacksAndFailuresAreCountedPerPoolAndInstance()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1), ("synchrotron", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?> { ["Router:Health:Interval"] = "3600" });
        var factory = router.Services.GetRequiredService<IMeterFactory>();
        var measurements = new ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Matrix.Router" && instrument.Meter.Scope == factory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();

        Assert.Equal("synchrotron-1", await router.ServedByAsync("/_matrix/client/v3/sync?since=s1"));
        await layout["synchrotron-1"].StopAsync();
        Assert.Equal("main", await router.ServedByAsync("/_matrix/client/v3/sync?since=s2"));
        Assert.Equal("main", await router.ServedByAsync("/_matrix/client/v3/sync?since=s3"));

        var synchrotronUrl = layout["synchrotron-1"].Url;
        // A request is counted when the router has finished it, which can be a moment after the client has its answer.
        await Eventually.HoldsAsync(() => Task.FromResult(measurements.Count(m => m.Instrument == "matrix.router.requests") >= 4), "four forwarding attempts to be counted");
        Assert.Contains(measurements, m => m.Instrument == "matrix.router.requests" && (string?)m.Tags["matrix.pool"] == "synchrotron"
            && (string?)m.Tags["matrix.instance"] == synchrotronUrl && (int?)m.Tags["http.response.status_code"] == 200);
        Assert.Contains(measurements, m => m.Instrument == "matrix.router.failures" && (string?)m.Tags["matrix.instance"] == synchrotronUrl);
        Assert.Contains(measurements, m => m.Instrument == "matrix.router.fallbacks" && (string?)m.Tags["matrix.pool"] == "synchrotron" && (string?)m.Tags["matrix.fallback"] == "main");
        Assert.Equal(2, measurements.Count(m => m.Instrument == "matrix.router.requests" && (string?)m.Tags["matrix.pool"] == "main"));
    }

    [Fact]
    public async Task TheClientsTraceContinuesToTheInstance()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Matrix.Router" or "Microsoft.AspNetCore" or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances);

        var traceId = ActivityTraceId.CreateRandom();
        var parent = ActivitySpanId.CreateRandom();
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, ActivityHeadersPropagator = null });
        using var request = router.Request(HttpMethod.Get, "/_matrix/client/v3/pushers");
        request.Headers.Add("traceparent", $"00-{traceId}-{parent}-01");
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();

        var traceparent = layout["main"].Received.Last().Header("traceparent");
        Assert.NotNull(traceparent);
        var parts = traceparent.Split('-');
        Assert.Equal(traceId.ToString(), parts[1]);
        // A new span of the router's, not the client's span passed through.
        Assert.NotEqual(parent.ToString(), parts[2]);
    }

    [Fact]
    public async Task KestrelsConnectionScopeReachesTheProvidersOnlyWhenScopesAreWritten()
    {
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1));
        static bool IsConnectionScope(string entry) => entry.StartsWith("[scope Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) && entry.Contains("ConnectionId=");

        // By default nothing writes scopes, so none is made (each would live as long as its connection).
        await using (var router = await RouterUnderTest.StartAsync(layout.Instances))
        {
            Assert.Equal("main", await router.ServedByAsync("/_matrix/client/v3/pushers"));
            Assert.NotEmpty(router.Logs.Entries);
            Assert.DoesNotContain(router.Logs.Entries, e => e.StartsWith("[scope ", StringComparison.Ordinal));
        }

        await using var writingScopes = await RouterUnderTest.StartAsync(layout.Instances,
            new Dictionary<string, string?> { [RedactingLoggerFactory.ConsoleScopesSetting] = "true" });
        Assert.Equal("main", await writingScopes.ServedByAsync("/_matrix/client/v3/pushers"));
        Assert.Contains(writingScopes.Logs.Entries, IsConnectionScope);
    }

    [Fact]
    public async Task ActiveHealthProbesAreMeasuredButLeftOutOfTheExportedTraces()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpReceiver.StartAsync(ct);
        await using var layout = await FakeSynapseLayout.StartAsync(("main", 1));
        var instance = layout["main"];
        // The HttpClient meter every outgoing request is measured by; before any forwarded request only probes are.
        var probes = new ConcurrentQueue<int>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "System.Net.Http" && instrument.Name == "http.client.request.duration")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "server.port" && tag.Value is int port && port == instance.Port)
                {
                    probes.Enqueue(port);
                }
            }
        });
        listener.Start();
        var router = await RouterUnderTest.StartAsync(layout.Instances, new Dictionary<string, string?>
        {
            [TelemetryExtensions.OtlpEndpointVariable] = receiver.Url,
            [TelemetryExtensions.OtlpProtocolVariable] = "http/protobuf",
        });
        await using (router)
        {
            await Eventually.HoldsAsync(() => Task.FromResult(probes.Count >= 3), "three health probes to be measured");
            Assert.Equal("main", await router.ServedByAsync("/_matrix/client/v3/pushers"));
        }

        // Disposed: the providers flushed every span and metric to the receiver.
        Assert.True(receiver.Received("traces", "/_matrix/client/v3/pushers"), "the forwarded request was traced");
        Assert.False(receiver.Received("traces", instance.Url + "/health"), "no probe span was exported");
        Assert.True(receiver.Received("metrics", "http.client.request.duration"), "the HttpClient metrics were exported");
    }
}
