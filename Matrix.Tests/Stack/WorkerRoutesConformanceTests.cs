using Matrix.Stack.Catalog;
using Matrix.Stack.Layout;
using Matrix.Stack.Presets;
using Matrix.Stack.Routing;
using Matrix.Tests.Infrastructure;

namespace Matrix.Tests.Stack;

/// <summary>Every row of ../shared/conformance/worker-routes.tsv against the matcher for the <c>full</c> preset.</summary>
public class WorkerRoutesConformanceTests
{
    public static IReadOnlyList<(string Method, string Target, string[] Pools, int Line)> ReadRows(string path) =>
        File.ReadAllLines(path)
            .Select((line, index) => (line, index))
            .Where(x => x.line.Length > 0 && !x.line.StartsWith('#'))
            .Select(x =>
            {
                var columns = x.line.Split('\t');
                Assert.True(columns.Length == 3, $"{path}:{x.index + 1} does not have 3 tab-separated columns");
                return (columns[0], columns[1], columns[2].Split('|'), x.index + 1);
            })
            .ToList();

    [Fact]
    public void EveryConformanceRowGoesToItsPoolInTheFullLayout()
    {
        var rows = ReadRows(RepositoryPaths.ConformanceFile("worker-routes.tsv"));
        var matcher = RouteMatcher.For(SynapseLayout.Create(StackPresets.Create(StackPresets.Full)));

        var wrong = rows
            .Select(row => (row, decision: matcher.Match(row.Method, row.Target)))
            .Where(x => !x.row.Pools.Contains(x.decision.PoolName))
            .Select(x => $"line {x.row.Line}: {x.row.Method} {x.row.Target} -> {x.decision.PoolName}, expected {string.Join("|", x.row.Pools)}")
            .ToList();

        Assert.True(rows.Count >= 80, $"only {rows.Count} rows read");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void EveryPoolTypeNameInTheConformanceFileIsACatalogPool()
    {
        var rows = ReadRows(RepositoryPaths.ConformanceFile("worker-routes.tsv"));
        var unknown = rows.SelectMany(r => r.Pools).Distinct().Where(p => !PoolTypeNames.IsKnown(p)).ToList();
        Assert.Empty(unknown);
    }
}
