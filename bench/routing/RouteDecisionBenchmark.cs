using BenchmarkDotNet.Attributes;
using Matrix.Stack.Layout;
using Matrix.Stack.Presets;
using Matrix.Stack.Routing;

namespace Matrix.Bench.Routing;

/// <summary>ns per routing decision over the realistic mix, for the matcher and a regex-scan baseline.</summary>
[MemoryDiagnoser]
public class RouteDecisionBenchmark
{
    private const int Requests = 4096;
    private (string Method, string Path, string Query)[] _mix = [];
    private string[] _pathAndQuery = [];
    private RouteMatcher _matcher = null!;
    private RegexRouteTable _regex = null!;

    [Params("full", "large")]
    public string Preset { get; set; } = "full";

    [GlobalSetup]
    public void Setup()
    {
        _mix = RequestMix.Create(Requests);
        _pathAndQuery = _mix.Select(r => r.Query.Length > 0 ? $"{r.Path}?{r.Query}" : r.Path).ToArray();
        _matcher = RouteMatcher.For(SynapseLayout.Create(StackPresets.Create(Preset)));
        _regex = new RegexRouteTable();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests)]
    public int SegmentTrieMatcher()
    {
        var sum = 0;
        foreach (var (method, path, query) in _mix)
        {
            sum += (int)_matcher.Match(method, path, query).Pool;
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Requests)]
    public int RegexScan()
    {
        var sum = 0;
        for (var i = 0; i < _mix.Length; i++)
        {
            sum += (int)_regex.Match(_mix[i].Method, _mix[i].Path);
        }
        return sum;
    }
}
