using Matrix.Stack.Catalog;
using Matrix.Stack.Layout;
using Matrix.Stack.Model;
using Matrix.Stack.Yaml;

namespace Matrix.Stack.Synapse;

/// <summary>
/// The shared options that tell every process which process does what (Synapse's docs/workers.md): where main and the
/// stream writers take replication requests, who writes each stream, and which workers send federation, push,
/// run background tasks, update the user directory, notify application services and run media jobs.
/// A duty whose pool is absent is left out, so it stays on main (Synapse's default); an empty instance list would
/// instead mean "nobody".
/// </summary>
public static class WorkerDutiesConfig
{
    public static void AddTo(YamlMapping config, MatrixDeployment deployment)
    {
        var layout = deployment.Layout;
        if (layout.ReplicationInstances.Count > 0)
        {
            config.Add("instance_map", InstanceMap(layout));
        }
        var writers = StreamWriters(layout);
        if (writers.Count > 0)
        {
            config.Add("stream_writers", writers);
        }
        AddInstances(config, "federation_sender_instances", layout, PoolType.FederationSender);
        AddInstances(config, "pusher_instances", layout, PoolType.Pusher);
        AddInstances(config, "run_background_tasks_on", layout, PoolType.Background);
        AddInstances(config, "update_user_directory_from_worker", layout, PoolType.UserDir);
        AddInstances(config, "notify_appservices_from_worker", layout, PoolType.Appservice);

        var media = layout.InstancesOf(PoolType.MediaRepository);
        if (media.Count > 0)
        {
            // Main stops serving media and running media jobs; one media worker runs them instead.
            config.Add("enable_media_repo", false);
            config.Add("media_instance_running_background_jobs", MediaBackgroundJobsInstance(deployment));
        }
    }

    /// <summary>The media worker that runs media background jobs: the one chosen in the options, else the first.</summary>
    public static string MediaBackgroundJobsInstance(MatrixDeployment deployment) =>
        deployment.Options.Synapse.MediaBackgroundJobsInstance is { Length: > 0 } chosen
            ? chosen
            : deployment.Layout.InstancesOf(PoolType.MediaRepository)[0].Name;

    /// <summary><c>main</c> and every stream writer, at the host and replication port the layout gives them.</summary>
    public static YamlMapping InstanceMap(SynapseLayout layout)
    {
        var map = new YamlMapping();
        foreach (var instance in layout.ReplicationInstances)
        {
            map.Add(instance.Name, new YamlMapping
            {
                { "host", instance.Host },
                { "port", instance.ReplicationPort ?? throw new InvalidOperationException($"{instance.Name} has no replication port") },
            });
        }
        return map;
    }

    /// <summary>
    /// Each stream with a writer pool: one writer as a string, several (events, receipts, device_lists, quarantined_media_changes: the streams
    /// Synapse shards) as a list, as docs/workers.md writes them.
    /// </summary>
    public static YamlMapping StreamWriters(SynapseLayout layout)
    {
        // The same rule the router routes stream writes by (WorkerCatalog.StreamWriterPool): a stream whose writer
        // is main is left out, which is Synapse's default.
        var writers = new YamlMapping();
        var present = layout.Instances.Select(i => i.PoolType).Distinct().ToList();
        foreach (var stream in WorkerCatalog.All.Select(p => p.Stream).OfType<SynapseStream>())
        {
            var pool = WorkerCatalog.StreamWriterPool(stream, present);
            if (pool == PoolType.Main)
            {
                continue;
            }
            var instances = layout.InstancesOf(pool);
            writers.Add(stream.Name, instances.Count == 1 ? instances[0].Name : instances.Select(i => (object?)i.Name).ToList());
        }
        return writers;
    }

    // The instances of a pool Synapse shares work across (InstancesListedBySynapse) as a list, a single one as a string.
    private static void AddInstances(YamlMapping config, string option, SynapseLayout layout, PoolType pool)
    {
        var names = layout.InstancesOf(pool).Select(i => (object?)i.Name).ToList();
        if (names.Count > 0)
        {
            config.Add(option, WorkerCatalog.Get(pool).InstancesListedBySynapse ? names : names[0]);
        }
    }
}
