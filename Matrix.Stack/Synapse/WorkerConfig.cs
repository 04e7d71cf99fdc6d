using Matrix.Stack.Catalog;
using Matrix.Stack.Layout;
using Matrix.Stack.Model;
using Matrix.Stack.Yaml;

namespace Matrix.Stack.Synapse;

/// <summary>
/// One worker's own file, read after homeserver.yaml (its top-level keys override the shared ones): its app, its
/// name (the name <c>instance_map</c> and the duty options use), its listeners and its logging.
/// </summary>
public static class WorkerConfig
{
    /// <param name="withName">False for a file a pool's pods share: each pod names itself (<see cref="PodWorkerName"/>).</param>
    public static YamlMapping Build(MatrixDeployment deployment, SynapseInstance worker, bool withName = true)
    {
        if (worker.IsMain)
        {
            throw new ArgumentException("main has no worker file: it reads homeserver.yaml alone", nameof(worker));
        }
        var synapse = deployment.Options.Synapse;
        var config = new YamlMapping { { "worker_app", worker.Pool.WorkerApp } };
        if (withName)
        {
            config.Add("worker_name", worker.Name);
        }
        config.Add("worker_listeners", ListenerConfig.For(worker, deployment.Layout, synapse));
        config.Add("worker_log_config", new SynapsePaths(synapse).LogConfig);
        if (worker.PoolType == PoolType.MediaRepository)
        {
            // The shared file turns the media repository off for main; media workers turn it back on.
            config.Add("enable_media_repo", true);
        }
        return config;
    }
}
