using Matrix.Stack.Catalog;
using Matrix.Stack.Layout;
using Matrix.Stack.Presets;
using Matrix.Stack.Routing;
using Matrix.Stack.Synapse;

namespace Matrix.Tests.Stack;

/// <summary>
/// For every stream a worker can write: the router sends the stream's writes to the processes that
/// <c>stream_writers</c> names (the writer pool when the layout has one, main when it has none), never anywhere else,
/// and with no fallback. Synapse has no forwarding for stream writes: any other process answers 500.
/// </summary>
public class StreamWriterRoutingTests
{
    private static readonly string[] WriteMethods = ["POST", "PUT", "DELETE"];

    public static TheoryData<string> Streams
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var pool in WorkerCatalog.All.Where(p => p.Stream is not null))
            {
                data.Add(pool.Stream!.Name);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void WithItsWriterPoolTheStreamsWritesGoThereAndStreamWritersNamesItsInstances(string stream)
    {
        var writer = WriterPool(stream);
        var layout = SynapseLayout.Create(StackPresets.Create(StackPresets.Full));
        var matcher = RouteMatcher.For(layout);

        var expected = layout.InstancesOf(writer.Type).Select(i => i.Name).ToList();
        Assert.Equal(expected, WritersNamedFor(stream, layout));
        AssertEveryWriteGoesTo(writer, matcher, writer.Type);
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void WithoutItsWriterPoolTheStreamsWritesGoToMainAndStreamWritersLeavesItToMain(string stream)
    {
        var writer = WriterPool(stream);
        // Every other pool present: a generic worker that could take the request is there, and must not get it.
        var options = StackPresets.Create(StackPresets.Full);
        options.Workers[writer.Type] = 0;
        var layout = SynapseLayout.Create(options);
        var matcher = RouteMatcher.For(layout);

        Assert.Empty(WritersNamedFor(stream, layout));
        AssertEveryWriteGoesTo(writer, matcher, PoolType.Main);
    }

    [Fact]
    public void EveryWorkerStreamHasWriteRoutesOrIsTheEventsStream()
    {
        // A stream pool with no write routes would make the per-stream tests above vacuous.
        var withoutRoutes = WorkerCatalog.All
            .Where(p => p.Stream is not null && !p.Routes.Any(r => WorkerCatalog.IsStreamWrite(p, r)))
            .Select(p => p.Stream!.Name);
        Assert.Equal(["events"], withoutRoutes);
    }

    private static PoolDefinition WriterPool(string stream) => WorkerCatalog.All.Single(p => p.Stream?.Name == stream);

    private static void AssertEveryWriteGoesTo(PoolDefinition writer, RouteMatcher matcher, PoolType expected)
    {
        var wrong = new List<string>();
        foreach (var rule in writer.Routes.Where(r => WorkerCatalog.IsStreamWrite(writer, r)))
        {
            foreach (var path in SamplePaths(rule.Template))
            {
                foreach (var method in WriteMethods)
                {
                    var decision = matcher.Match(method, path);
                    if (decision.Pool != expected || decision.Fallbacks.Count > 0)
                    {
                        wrong.Add($"{method} {path} -> {decision}, expected {expected.Name()} with no fallback");
                    }
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private static List<string> WritersNamedFor(string stream, SynapseLayout layout)
    {
        var writers = WorkerDutiesConfig.StreamWriters(layout);
        return !writers.ContainsKey(stream)
            ? []
            : writers[stream] switch
            {
                string one => [one],
                IEnumerable<object?> many => many.Select(w => (string)w!).ToList(),
                var other => throw new InvalidOperationException($"stream_writers.{stream} is a {other?.GetType().Name}"),
            };
    }

    // One concrete path per expansion of the template: '*' is one segment, '**' the rest of the path.
    private static IEnumerable<string> SamplePaths(string template) =>
        RouteTemplate.Expand(template).Select(segments =>
            "/" + string.Join('/', segments.Select(s => s is RouteTemplate.AnySegment ? "!room:example.org" : s is RouteTemplate.RestOfPath ? "x" : s)));
}
