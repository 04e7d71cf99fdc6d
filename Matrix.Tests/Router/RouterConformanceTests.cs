using Matrix.Stack.Layout;
using Matrix.Stack.Presets;
using Matrix.Tests.Infrastructure;
using Matrix.Tests.Router.Support;
using Matrix.Tests.Stack;

namespace Matrix.Tests.Router;

/// <summary>
/// Every row of ../shared/conformance/worker-routes.tsv sent through the router over HTTP to one fake Synapse process
/// per instance of the <c>full</c> preset: the process that answers must belong to the row's pool, and must receive
/// the request target unchanged.
/// </summary>
public class RouterConformanceTests
{
    [Fact]
    public async Task EveryConformanceRowIsServedByItsPoolInTheFullLayout()
    {
        var rows = WorkerRoutesConformanceTests.ReadRows(RepositoryPaths.ConformanceFile("worker-routes.tsv"));
        await using var layout = await FakeSynapseLayout.StartAsync(SynapseLayout.Create(StackPresets.Create(StackPresets.Full)));
        await using var router = await RouterUnderTest.StartAsync(layout.Instances);

        var wrong = new List<string>();
        foreach (var row in rows)
        {
            using var response = await router.SendAsync(new HttpMethod(row.Method), row.Target, request =>
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer syt_YWxpY2U_conformance_0000");
                if (row.Method is "POST" or "PUT")
                {
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                }
            });
            var pool = response.Headers.TryGetValues("X-Backend-Pool", out var values) ? values.Single() : $"(none: {(int)response.StatusCode})";
            var instance = response.Headers.TryGetValues("X-Backend-Instance", out var names) ? names.Single() : null;
            if (!row.Pools.Contains(pool))
            {
                wrong.Add($"line {row.Line}: {row.Method} {row.Target} -> {pool}, expected {string.Join("|", row.Pools)}");
                continue;
            }
            var received = layout[instance!].Received.LastOrDefault();
            if (received?.RawTarget != row.Target || received.Method != row.Method)
            {
                wrong.Add($"line {row.Line}: {instance} received {received?.Method} {received?.RawTarget}, not {row.Method} {row.Target}");
            }
        }

        Assert.True(rows.Count >= 80, $"only {rows.Count} rows read");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
