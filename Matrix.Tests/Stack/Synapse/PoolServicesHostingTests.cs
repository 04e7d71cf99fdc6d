using System.Text.Json.Nodes;
using Matrix.Stack.Catalog;
using Matrix.Stack.Layout;
using Matrix.Stack.Presets;
using Matrix.Stack.Rendering;
using Matrix.Stack.Synapse;
using Matrix.Stack.Wiring;
using Matrix.Tests.Stack.Schema;

namespace Matrix.Tests.Stack.Synapse;

/// <summary>
/// The pool-hosted rendering (<see cref="SynapseHosting.PoolServices"/>, what the Kubernetes StatefulSets run): each
/// pod's configuration is what a worker reads when the pod's own naming step (<see cref="PodWorkerName.Script"/>, run
/// here in a real <c>sh</c> with a pod name) has written its file: homeserver.yaml, the pool's file, then that one.
/// It must satisfy Synapse's config schema, and every worker the shared config names must be a pod it reaches.
/// </summary>
public sealed class PoolServicesHostingTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("matrix-pool-pods-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    public static TheoryData<string> Presets => new(StackPresets.Names.ToArray());

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task EachPodsConfigurationIsValidAndNamedAsTheSharedConfigNamesIt(string preset)
    {
        var options = StackPresets.Create(preset);
        var files = StackRenderer.RenderConfiguration(options, SynapseHosting.PoolServices);
        var layout = SynapseLayout.Create(options, SynapseHosting.PoolServices);
        var homeserver = YamlJson.ParseObject(files.Single(f => f.Path == SynapsePaths.RenderedHomeserver).Content);
        var validator = SynapseConfigSchema.WithOverlaysValidator();
        var pods = new Dictionary<string, SynapseInstance>(StringComparer.Ordinal);

        foreach (var pool in layout.Workers.GroupBy(w => w.Pool))
        {
            var poolFile = YamlJson.ParseObject(files.Single(f => f.Path == SynapsePaths.RenderedWorker(pool.Key.Name)).Content);
            Assert.False(poolFile.ContainsKey("worker_name"), $"{pool.Key.Name}: the pool's file names no worker; each pod does");
            // The layout's pods, and for a pool that scales without new config, pods beyond them too.
            var count = pool.Count() + (pool.Key.ScalesWithoutNewConfig ? 2 : 0);
            for (var ordinal = 1; ordinal <= count; ordinal++)
            {
                var pod = SynapseLayout.InstanceName(pool.Key.Type, ordinal);
                var merged = (JsonObject)homeserver.DeepClone();
                foreach (var file in new[] { poolFile, await PodFileAsync(pod) })
                {
                    foreach (var (key, value) in file)
                    {
                        merged[key] = value?.DeepClone();
                    }
                }
                Assert.Equal(pod, merged["worker_name"]!.GetValue<string>());
                Assert.Equal(pool.Key.WorkerApp, merged["worker_app"]!.GetValue<string>());
                var errors = validator.Validate(merged);
                Assert.True(errors.Count == 0, $"{pod}: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"))}");
                if (ordinal <= pool.Count())
                {
                    pods[pod] = pool.First(i => i.Name == pod);
                }
            }
        }

        // instance_map reaches every named worker at its pod's stable name; every other option names a layout pod.
        foreach (var (name, entry) in homeserver["instance_map"]?.AsObject() ?? [])
        {
            if (name != "main")
            {
                Assert.True(pods.TryGetValue(name, out var instance), $"instance_map names {name}, which is no pod");
                Assert.Equal($"{name}.{layout.PoolService(instance!.Pool)}", entry!["host"]!.GetValue<string>());
            }
        }
        string[] naming = ["stream_writers", "federation_sender_instances", "pusher_instances", "run_background_tasks_on",
            "update_user_directory_from_worker", "notify_appservices_from_worker", "media_instance_running_background_jobs"];
        var named = naming.SelectMany(option => Names(homeserver[option])).Where(n => n != "main").ToList();
        Assert.All(named, name => Assert.True(pods.ContainsKey(name), $"the shared config names {name}, which is no pod"));
        // Exactly the pools named there are the ones that cannot grow without new config.
        Assert.All(named, name => Assert.False(pods[name].Pool.ScalesWithoutNewConfig, $"{name} is named by the shared config, so its pool cannot scale by itself"));
    }

    [Fact]
    public async Task ThePodNamingStepRefusesWhatIsNoPodName()
    {
        foreach (var bad in new[] { "", "Synchrotron-1", "-x", "a b", "x\nworker_app: evil" })
        {
            var result = await RunNamingStepAsync(bad, Path.Combine(_work, "bad.yaml"));
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("is not a pod name", result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ThePoolServicesWiringGivesTheRouterOneDestinationPerScalablePool()
    {
        var options = StackPresets.Create(StackPresets.Large);
        var wiring = StackWiring.Create(Matrix.Stack.Model.MatrixDeployment.Create(options, SynapseHosting.PoolServices), RouterTrust.Local);

        var pools = wiring.Router.Environment.Where(v => v.Name.StartsWith("Router__Pools__synchrotron__", StringComparison.Ordinal)).ToList();
        var synchrotrons = Assert.Single(pools);
        Assert.Equal("http://synapse-synchrotron:8008", wiring.UrlOf((EndpointUrlValue)synchrotrons.Value));
        var typing = Assert.Single(wiring.Router.Environment, v => v.Name == RouterWiring.PoolVariable(PoolType.Typing, "typing-1"));
        Assert.Equal("http://typing-1.synapse-typing:8008", wiring.UrlOf((EndpointUrlValue)typing.Value));
    }

    private async Task<JsonObject> PodFileAsync(string pod)
    {
        var file = Path.Combine(_work, pod + ".yaml");
        var result = await RunNamingStepAsync(pod, file);
        Assert.True(result.ExitCode == 0, $"{pod}: {result.Error}");
        return YamlJson.ParseObject(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
    }

    // The step as the pod's command runs it, with `true` in place of the image's entrypoint and Synapse's arguments.
    private Task<CleanShell.Result> RunNamingStepAsync(string pod, string file)
    {
        var command = PodWorkerName.Command("true");
        return CleanShell.RunAsync(command[0], command.Skip(1),
            new Dictionary<string, string> { [PodWorkerName.PodNameVariable] = pod, [PodWorkerName.FileVariable] = file, ["PATH"] = "/usr/bin:/bin" }, _work);
    }

    private static IEnumerable<string> Names(JsonNode? node) => node switch
    {
        null => [],
        JsonValue value => [value.GetValue<string>()],
        JsonArray array => array.SelectMany(Names),
        JsonObject map => map.Select(entry => entry.Value).SelectMany(Names),
        _ => [],
    };
}
