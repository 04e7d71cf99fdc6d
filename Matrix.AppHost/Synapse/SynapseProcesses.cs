using Matrix.AppHost.Media;
using Matrix.Stack.Layout;

namespace Matrix.AppHost.Synapse;

/// <summary>The Synapse containers of the layout: main, then every worker instance, each with the layout entry it runs.</summary>
public sealed record SynapseProcesses(
    IResourceBuilder<SynapseProcessResource> Main,
    IReadOnlyList<IResourceBuilder<SynapseProcessResource>> All)
{
    /// <summary>Main starts once its state is up: the database, Synapse's Redis and, with the stack's MinIO, the bucket.</summary>
    public SynapseProcesses WaitForState(
        IResourceBuilder<PostgresDatabaseResource> database, IResourceBuilder<RedisResource> redis, MediaStorage media)
    {
        Main.WaitFor(database).WaitFor(redis);
        if (media.S3?.BucketCreation is { } bucket)
        {
            Main.WaitForCompletion(bucket);
        }
        return this;
    }
}
