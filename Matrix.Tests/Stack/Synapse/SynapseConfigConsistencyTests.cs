using System.Text.Json.Nodes;
using Matrix.Stack.Catalog;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;
using Matrix.Stack.Synapse;

namespace Matrix.Tests.Stack.Synapse;

/// <summary>The shared file, the worker files and the layout agree with each other, for every preset and variant.</summary>
public class SynapseConfigConsistencyTests
{
    [Theory]
    [MemberData(nameof(SynapseTestLayouts.Names), MemberType = typeof(SynapseTestLayouts))]
    public void EveryStreamWriterIsInTheInstanceMapWithAMatchingReplicationListener(string layout)
    {
        var rendered = RenderedSynapse.Of(layout);
        var writers = StreamWriters(rendered.Homeserver).SelectMany(w => w.Writers).Distinct().ToList();
        var instanceMap = rendered.Homeserver["instance_map"] as JsonObject;

        Assert.Equal(rendered.Deployment.Layout.Workers.Any(), instanceMap is not null);
        foreach (var writer in writers)
        {
            var entry = Assert.IsType<JsonObject>(instanceMap![writer]);
            var instance = rendered.Deployment.Layout.Instances.Single(i => i.Name == writer);
            Assert.Equal(instance.Host, entry["host"]!.GetValue<string>());
            Assert.True(rendered.Workers.ContainsKey(writer), $"stream writer {writer} has no worker file");
            var replication = ReplicationListeners(rendered.Listeners(writer));
            Assert.Equal(entry["port"]!.GetValue<long>(), Assert.Single(replication)["port"]!.GetValue<long>());
        }
    }

    [Theory]
    [MemberData(nameof(SynapseTestLayouts.Names), MemberType = typeof(SynapseTestLayouts))]
    public void EveryInstanceMapEntryIsAProcessListeningForReplicationThere(string layout)
    {
        var rendered = RenderedSynapse.Of(layout);
        if (rendered.Homeserver["instance_map"] is not JsonObject instanceMap)
        {
            Assert.Empty(rendered.Workers);
            Assert.Empty(ReplicationListeners(rendered.Listeners("main")));
            return;
        }
        Assert.True(instanceMap.ContainsKey("main"), "instance_map has no main although workers exist");
        foreach (var (name, entry) in instanceMap)
        {
            var replication = Assert.Single(ReplicationListeners(rendered.Listeners(name)));
            Assert.Equal(entry!["port"]!.GetValue<long>(), replication["port"]!.GetValue<long>());
        }
        // And nobody else listens for replication: only processes others can find in instance_map.
        var listening = rendered.Workers.Keys.Where(w => ReplicationListeners(rendered.Listeners(w)).Count > 0).Append("main");
        Assert.Equal(instanceMap.Select(e => e.Key).Order(), listening.Order());
    }

    [Theory]
    [MemberData(nameof(SynapseTestLayouts.Names), MemberType = typeof(SynapseTestLayouts))]
    public void WorkerNamesAreUniqueMatchTheirFilesAndAreExactlyTheLayoutsWorkers(string layout)
    {
        var rendered = RenderedSynapse.Of(layout);
        var names = rendered.Workers.Select(w => (File: w.Key, Name: w.Value["worker_name"]!.GetValue<string>())).ToList();

        Assert.All(names, n => Assert.Equal(n.File, n.Name));
        Assert.Equal(names.Count, names.Select(n => n.Name).Distinct().Count());
        Assert.DoesNotContain("main", names.Select(n => n.Name));
        Assert.Equal(rendered.Deployment.Layout.Workers.Select(w => w.Name).Order(), names.Select(n => n.Name).Order());
        foreach (var worker in rendered.Deployment.Layout.Workers)
        {
            Assert.Equal(worker.Pool.WorkerApp, rendered.Workers[worker.Name]["worker_app"]!.GetValue<string>());
        }
    }

    [Theory]
    [MemberData(nameof(SynapseTestLayouts.Names), MemberType = typeof(SynapseTestLayouts))]
    public void EveryListenerPortIsTheLayoutsPortAndResourcesAreTheCatalogs(string layout)
    {
        var rendered = RenderedSynapse.Of(layout);
        foreach (var instance in rendered.Deployment.Layout.Instances)
        {
            var listeners = rendered.Listeners(instance.Name);
            var publicListener = listeners[0];
            Assert.Equal("http", publicListener["type"]!.GetValue<string>());
            Assert.Equal(instance.HttpPort, publicListener["port"]!.GetValue<long>());
            var expected = instance.Pool.ServesRequests ? instance.Pool.PublicResources : [ListenerResource.Health];
            Assert.Equal(expected, RenderedSynapse.ResourceNames(publicListener));

            var replication = ReplicationListeners(listeners);
            Assert.Equal(instance.ReplicationPort is not null && rendered.Deployment.Layout.ReplicationInstances.Contains(instance), replication.Count == 1);
            if (replication.Count == 1)
            {
                Assert.Equal(instance.ReplicationPort, (int)replication[0]["port"]!.GetValue<long>());
            }

            var metrics = listeners.Where(l => l["type"]!.GetValue<string>() == "metrics").ToList();
            Assert.Equal(instance.MetricsPort is not null, metrics.Count == 1);
            if (metrics.Count == 1)
            {
                Assert.Equal(instance.MetricsPort, (int)metrics[0]["port"]!.GetValue<long>());
                // prometheus_client's server does not survive binding :: and then 0.0.0.0 (real Synapse 1.160 exits).
                Assert.Single(metrics[0]["bind_addresses"]!.AsArray());
            }
            Assert.Equal(1 + replication.Count + metrics.Count, listeners.Count);
        }
        Assert.Equal(rendered.Options.Synapse.EnableMetrics, rendered.Homeserver["enable_metrics"]!.GetValue<bool>());
    }

    [Theory]
    [MemberData(nameof(SynapseTestLayouts.Names), MemberType = typeof(SynapseTestLayouts))]
    public void EveryDutyNamesAnExistingWorkerOfTheRightPool(string layout)
    {
        var rendered = RenderedSynapse.Of(layout);
        var hs = rendered.Homeserver;
        var layoutOf = rendered.Deployment.Layout;

        void Single(string option, PoolType pool)
        {
            var instances = layoutOf.InstancesOf(pool);
            if (instances.Count == 0)
            {
                Assert.False(hs.ContainsKey(option), $"{option} is set but there is no {pool.Name()} worker");
                return;
            }
            var name = hs[option]!.GetValue<string>();
            Assert.Contains(name, instances.Select(i => i.Name));
            Assert.True(rendered.Workers.ContainsKey(name), $"{option} names {name}, which has no worker file");
        }

        void List(string option, PoolType pool)
        {
            var instances = layoutOf.InstancesOf(pool);
            if (instances.Count == 0)
            {
                // An empty list would mean "nobody does it"; absent means main does.
                Assert.False(hs.ContainsKey(option), $"{option} is set but there is no {pool.Name()} worker");
                return;
            }
            Assert.Equal(instances.Select(i => i.Name), hs[option]!.AsArray().Select(n => n!.GetValue<string>()));
        }

        Single("run_background_tasks_on", PoolType.Background);
        Single("update_user_directory_from_worker", PoolType.UserDir);
        Single("notify_appservices_from_worker", PoolType.Appservice);
        Single("media_instance_running_background_jobs", PoolType.MediaRepository);
        List("federation_sender_instances", PoolType.FederationSender);
        List("pusher_instances", PoolType.Pusher);

        var media = layoutOf.InstancesOf(PoolType.MediaRepository);
        if (media.Count > 0)
        {
            Assert.False(hs["enable_media_repo"]!.GetValue<bool>());
            var jobs = hs["media_instance_running_background_jobs"]!.GetValue<string>();
            Assert.Equal(rendered.Options.Synapse.MediaBackgroundJobsInstance ?? media[0].Name, jobs);
            Assert.Equal("synapse.app.media_repository", rendered.Workers[jobs]["worker_app"]!.GetValue<string>());
            Assert.All(media, m => Assert.True(rendered.Merged(m.Name)["enable_media_repo"]!.GetValue<bool>()));
        }
        else
        {
            Assert.False(hs.ContainsKey("enable_media_repo"));
        }
    }

    [Theory]
    [MemberData(nameof(SynapseTestLayouts.Names), MemberType = typeof(SynapseTestLayouts))]
    public void StreamWritersAreTheLayoutsWritersAsStringOrList(string layout)
    {
        var rendered = RenderedSynapse.Of(layout);
        var written = StreamWriters(rendered.Homeserver).ToDictionary(w => w.Stream, w => w);
        foreach (var pool in WorkerCatalog.All.Where(p => p.Stream is not null))
        {
            var instances = rendered.Deployment.Layout.InstancesOf(pool.Type);
            if (instances.Count == 0)
            {
                Assert.False(written.ContainsKey(pool.Stream!.Name), $"{pool.Stream.Name} has a writer but no {pool.Name} worker exists");
                continue;
            }
            var entry = written[pool.Stream!.Name];
            Assert.Equal(instances.Select(i => i.Name), entry.Writers);
            Assert.Equal(instances.Count > 1, entry.IsList);
        }
    }

    [Theory]
    [MemberData(nameof(SynapseTestLayouts.Names), MemberType = typeof(SynapseTestLayouts))]
    public void EverySecretPathPointsAtARenderedSecretFile(string layout)
    {
        var rendered = RenderedSynapse.Of(layout);
        var secretsDirectory = rendered.Options.Synapse.SecretsDirectory.TrimEnd('/') + "/";
        var pathOptions = rendered.Homeserver
            .Where(p => p.Key.EndsWith("_path", StringComparison.Ordinal) && p.Key != "media_store_path")
            .Select(p => p.Value!.GetValue<string>())
            .Append(rendered.Homeserver["database"]!["args"]!["passfile"]!.GetValue<string>())
            .ToList();
        if (rendered.Homeserver["redis"] is { } redis)
        {
            pathOptions.Add(redis["password_path"]!.GetValue<string>());
        }

        Assert.Equal(rendered.Options.Coturn.Enabled, pathOptions.Any(p => p.EndsWith("/turn_shared_secret", StringComparison.Ordinal)));
        Assert.Contains(pathOptions, p => p.EndsWith("/signing_key", StringComparison.Ordinal));
        Assert.Equal(rendered.Deployment.Layout.Workers.Any(), pathOptions.Any(p => p.EndsWith("/redis_password", StringComparison.Ordinal)));
        foreach (var path in pathOptions)
        {
            Assert.StartsWith(secretsDirectory, path);
            var file = rendered.File($"{SecretFilesRenderer.Folder}/{path[secretsDirectory.Length..]}");
            Assert.Equal(RenderedFileKind.Secret, file.Kind);
        }
    }

    [Theory]
    [MemberData(nameof(SynapseTestLayouts.Names), MemberType = typeof(SynapseTestLayouts))]
    public void NoSecretValueIsInAnySynapseConfigFile(string layout)
    {
        var rendered = RenderedSynapse.Of(layout);
        var secretValues = SynapseTestSecrets.Values.Values.ToList();
        var configTexts = rendered.SynapseFiles.Where(f => f.Kind == RenderedFileKind.Config).Select(f => (f.Path, Text: f.Content)).ToList();

        Assert.NotEmpty(configTexts);
        var leaks = configTexts
            .SelectMany(t => secretValues.Where(s => t.Text.Contains(s, StringComparison.Ordinal)).Select(_ => t.Path))
            .ToList();
        Assert.True(leaks.Count == 0, "secret values found in: " + string.Join(", ", leaks));

        // The one Synapse secret file this renderer writes holds the password, escaped for libpq.
        var pgpass = rendered.File(SynapsePaths.RenderedPgPass);
        Assert.Equal(RenderedFileKind.Secret, pgpass.Kind);
        Assert.Equal($"postgres:5432:synapse:synapse:{@"pg\:pa\\ss\:w0rd-Qh7Lx2"}\n", pgpass.Content);
        Assert.Equal(@"pg:pa\ss:w0rd-Qh7Lx2", SynapseTestSecrets.Values[SecretName.PostgresPassword]);
    }

    private static List<JsonObject> ReplicationListeners(IEnumerable<JsonObject> listeners) =>
        listeners.Where(l => RenderedSynapse.ResourceNames(l).Contains(ListenerResource.Replication)).ToList();

    private static IEnumerable<(string Stream, List<string> Writers, bool IsList)> StreamWriters(JsonObject homeserver) =>
        (homeserver["stream_writers"] as JsonObject ?? new JsonObject())
            .Select(p => p.Value is JsonArray list
                ? (p.Key, list.Select(n => n!.GetValue<string>()).ToList(), true)
                : (p.Key, new List<string> { p.Value!.GetValue<string>() }, false));
}
