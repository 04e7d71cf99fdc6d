using Matrix.AppHost.Configuration;
using Matrix.AppHost.Routing;
using Matrix.AppHost.Tests.Infrastructure;
using Matrix.AppHost.Tests.Kubernetes;
using Matrix.AppHost.Tests.Publishing;
using Matrix.Stack.Catalog;
using Matrix.Stack.Presets;
using Matrix.Stack.Routing;
using Matrix.Stack.Wiring;

namespace Matrix.AppHost.Tests.Wiring;

/// <summary>
/// The router's environment as each host produces it from the wiring model — the file <c>matrix-stack render</c>
/// writes, the environment the AppHost resolves for the router resource, and the Kubernetes router Deployment's —
/// given to the real router process, for every preset, a changed <c>synapse.hostPrefix</c> and MAS on. Each must
/// start and serve exactly the pools of the layout's processes that serve requests (plus MAS).
/// </summary>
public sealed class RouterEnvironmentTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("matrix-router-env-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static readonly Dictionary<string, (string Preset, string[] Settings)> Variants = new(StringComparer.Ordinal)
    {
        ["full+hostPrefix"] = ("full", ["synapse.hostPrefix=hs-"]),
        ["full+mas"] = ("full", ["mas.enabled=true", "mas.publicBaseUrl=https://auth.example.org/"]),
    };

    public static TheoryData<string> Deployments => new(StackPresets.Names.Concat(Variants.Keys).ToArray());

    private static (string Preset, string[] Settings) Of(string deployment) =>
        Variants.TryGetValue(deployment, out var variant) ? variant : (deployment, []);

    private static Matrix.Stack.Model.MatrixDeployment Deployment(string deployment)
    {
        var (preset, settings) = Of(deployment);
        return MatrixStackConfiguration.Build(new StackSelection(preset,
            settings.Select(s => s.Split('=', 2)).Select(kv => KeyValuePair.Create(kv[0], kv[1])).ToList()));
    }

    private static string[] AsArguments(string[] settings) => settings.Select(s => "--Matrix:Settings:" + s).ToArray();

    [Theory]
    [MemberData(nameof(Deployments))]
    public async Task TheRenderedRouterEnvFileStartsTheRouterWithTheLayoutsPools(string deployment)
    {
        var stack = Deployment(deployment);
        var file = RouterEnvironmentFile.Render(StackWiring.Create(stack, RouterTrust.Local));

        var environment = file.Content.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);

        AssertPools(deployment, await RouterProcess.PoolsAsync(environment));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public async Task TheEnvironmentTheAppHostResolvesForTheRouterStartsIt(string deployment)
    {
        var (preset, settings) = Of(deployment);
        await using var builder = await AppHostFactory.CreateAsync(preset, AsArguments(settings));
        // (No Synapse runs here: the router starts without its instances.)
        var environment = await ResolvedEnvironment.UnderTheDashboardAsync(builder, MatrixRouterExtensions.ResourceName);
        Assert.DoesNotContain(environment.Keys, name => name.StartsWith("services__", StringComparison.Ordinal));

        AssertPools(deployment, await RouterProcess.PoolsAsync(environment));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public async Task TheKubernetesRouterDeploymentsEnvironmentStartsIt(string deployment)
    {
        var (preset, settings) = Of(deployment);
        var output = KubernetesOutput.Load(await Publisher.PublishKubernetesAsync(Path.Combine(_work, "out"), preset, AsArguments(settings)));
        var container = output.WorkloadNamed(MatrixRouterExtensions.ResourceName).Container;
        Assert.All(container.Env ?? [], variable => Assert.True(variable.ValueFrom is null, $"{variable.Name}: the router is given no secret"));
        var environment = ResolvedEnvironment.InThePod(container);
        Assert.All(environment.Values, value => Assert.DoesNotContain("$(", value, StringComparison.Ordinal));

        // One destination per scalable pool, its headless Service: the router's status lists it once until DNS gives
        // it the pods (no cluster DNS here, so the name stays as written).
        var pools = await RouterProcess.PoolsAsync(environment);
        AssertPools(deployment, pools, scalablePoolsAsOne: true);
        var stack = Deployment(deployment);
        foreach (var pool in stack.Layout.Workers.Where(i => i.Pool.ServesRequests && i.Pool.ScalesWithoutNewConfig).Select(i => i.Pool).Distinct())
        {
            var setting = Assert.Single(pools[pool.Name]).Replace('-', '_');
            Assert.EndsWith(":" + (stack.Options.Synapse.HostPrefix + pool.Name).Replace('-', '_'), setting, StringComparison.Ordinal);
        }
    }

    // The layout's processes that serve requests, by pool, plus MAS: nothing the router would refuse, nothing missing.
    // In Kubernetes a pool that scales without new config is one destination (its headless Service).
    private static void AssertPools(string deployment, IReadOnlyDictionary<string, IReadOnlyList<string>> pools, bool scalablePoolsAsOne = false)
    {
        var stack = Deployment(deployment);
        var expected = stack.Layout.Instances.Where(i => i.Pool.ServesRequests)
            .GroupBy(i => i.Pool)
            .ToDictionary(g => g.Key.Name, g => scalablePoolsAsOne && g.Key.ScalesWithoutNewConfig ? 1 : g.Count(), StringComparer.Ordinal);
        if (stack.Options.Mas.Enabled)
        {
            expected[PoolType.Mas.Name()] = 1;
        }
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), pools.ToDictionary(p => p.Key, p => p.Value.Count).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Contains(stack.Layout.Instances, i => i.IsMain);
    }
}
