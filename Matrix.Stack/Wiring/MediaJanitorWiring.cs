using Matrix.Stack.Model;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.Wiring;

/// <summary>
/// Matrix.MediaJanitor's environment (its <c>Janitor</c> section, and Synapse's database as <c>ConnectionStrings:synapse</c>):
/// the media store it shares with Synapse, the bucket and how to reach it (the stack's MinIO by its endpoint, an external
/// server as configured), and the S3 credentials as secrets.
/// </summary>
public static class MediaJanitorWiring
{
    /// <summary>The keys s3rver accepts: its own fixed ones, the same in every s3rver, so not secrets.</summary>
    public const string S3rverKey = "S3RVER";

    /// <param name="hostMediaStorePath">Where the janitor sees the media store when it runs on the host rather than beside Synapse (run under the dashboard); null: Synapse's own path.</param>
    /// <param name="s3StandIn">A local run's s3rver stands in for MinIO: its endpoint and its fixed keys.</param>
    public static WiredComponent Create(StackOptions options, string? hostMediaStorePath, bool s3StandIn = false)
    {
        var s3 = options.S3;
        var environment = new List<WiredVariable>
        {
            new("Janitor__MediaStore__Path", new LiteralValue(hostMediaStorePath ?? options.Synapse.MediaStorePath)),
            new("Janitor__S3__Bucket", new LiteralValue(s3.Bucket)),
            new("Janitor__S3__Prefix", new LiteralValue(s3.Prefix)),
            new("Janitor__S3__Region", new LiteralValue(s3.Region)),
            new("Janitor__S3__ForcePathStyle", new LiteralValue(s3.PathStyle ? "true" : "false")),
            new("Janitor__S3__AccessKeyId", s3StandIn ? new LiteralValue(S3rverKey) : new SecretValue(SecretName.S3AccessKeyId)),
            new("Janitor__S3__SecretAccessKey", s3StandIn ? new LiteralValue(S3rverKey) : new SecretValue(SecretName.S3SecretAccessKey)),
        };
        if (s3.StorageClass is { } storageClass)
        {
            environment.Add(new("Janitor__S3__StorageClass", new LiteralValue(storageClass)));
        }
        WiringValue serviceUrl = s3StandIn ? new EndpointUrlValue(ComponentNames.S3rver, EndpointNames.Http)
            : s3.UsesStackMinIO ? new EndpointUrlValue(ComponentNames.MinIO, EndpointNames.Http)
            : new LiteralValue(s3.Endpoint);
        environment.Add(new("Janitor__S3__ServiceUrl", serviceUrl));
        environment.Add(new("ConnectionStrings__" + ComponentNames.SynapseDatabase, new ConnectionStringValue(ComponentNames.SynapseDatabase)));
        // Its health listener under the dashboard is the host's to place; as a CronJob it listens on nothing.
        return new WiredComponent(ComponentNames.MediaJanitor, ComponentNames.MediaJanitor, [], environment);
    }
}
