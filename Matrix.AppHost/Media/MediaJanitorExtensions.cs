using Matrix.AppHost.Configuration;
using Matrix.AppHost.Kubernetes;
using Matrix.AppHost.Synapse;

namespace Matrix.AppHost.Media;

public static class MediaJanitorExtensions
{
    public const string ResourceName = "media-janitor";
    public const string HttpEndpoint = "http";

    /// <summary>Kubernetes schedule of the janitor: hourly, at a minute away from the top of the hour.</summary>
    public const string Schedule = "17 * * * *";

    /// <summary>
    /// Matrix.MediaJanitor: offloads media older than its threshold from the local store to S3, verifies, frees disk.
    /// Under the dashboard it runs as a service on its own schedule (with /health); in Kubernetes it is a CronJob
    /// running <c>--once</c>. Configuration is its <c>Janitor</c> section as environment variables; the database comes
    /// from <c>ConnectionStrings__synapse</c> (the caller adds the reference).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddMediaJanitor(
        this IDistributedApplicationBuilder builder, MatrixStack stack, S3Storage s3, MediaStorage media)
    {
        var options = stack.Options;
#pragma warning disable ASPIRECERTIFICATES001 // Experimental: WithoutHttpsCertificate, the opt-out of Aspire's run-mode TLS.
#pragma warning disable CS0618 // Aspire 17 obsoletes AddProject<T> for Aspire.Hosting.Dotnet's AddDotnetProject; docs/apphost.md "Aspire 17".
        var janitor = builder.AddProject<Projects.Matrix_MediaJanitor>(ResourceName, launchProfileName: null)
#pragma warning restore CS0618
            // Plain HTTP only (its /health): no development certificate offered, so the dashboard shows no banner about
            // one (docs/apphost.md "Run").
            .WithoutHttpsCertificate()
            .WithEnvironment("Janitor__MediaStore__Path", media.HostMediaStorePath ?? options.Synapse.MediaStorePath)
            .WithEnvironment("Janitor__S3__Bucket", s3.Bucket)
            .WithEnvironment("Janitor__S3__Prefix", options.S3.Prefix)
            .WithEnvironment("Janitor__S3__Region", options.S3.Region)
            .WithEnvironment("Janitor__S3__ForcePathStyle", options.S3.PathStyle ? "true" : "false")
            .WithEnvironment("Janitor__S3__AccessKeyId", s3.AccessKeyId)
            .WithEnvironment("Janitor__S3__SecretAccessKey", s3.SecretAccessKey)
            .WithKubernetesSizing(ComponentSizing.MediaJanitor)
            .PublishAsKubernetesCronJob(Schedule, "--once");
#pragma warning restore ASPIRECERTIFICATES001

        if (options.S3.StorageClass is { } storageClass)
        {
            janitor.WithEnvironment("Janitor__S3__StorageClass", storageClass);
        }
        // The stack's MinIO, or the local run's s3rver, is reached through its endpoint (a host port in run mode); an
        // external endpoint as configured.
        if (s3.MinIO is { } minio)
        {
            janitor.WithEnvironment("Janitor__S3__ServiceUrl", minio.Resource.HttpEndpoint);
        }
        else if (s3.S3rver is { } s3rver)
        {
            // Healthy means the bucket answers, so the janitor's first run finds it.
            janitor.WithEnvironment("Janitor__S3__ServiceUrl", s3rver.Resource.HttpEndpoint).WaitFor(s3rver);
        }
        else
        {
            janitor.WithEnvironment("Janitor__S3__ServiceUrl", s3.Endpoint);
        }
        if (s3.BucketCreation is { } bucket)
        {
            janitor.WaitForCompletion(bucket);
        }
        if (builder.ExecutionContext.IsRunMode)
        {
            // Service mode under the dashboard: /health reports the last run.
            janitor.WithHttpEndpoint(name: HttpEndpoint).WithHttpHealthCheck("/health", endpointName: HttpEndpoint);
        }
        else
        {
            janitor.WithSharedClaim(SynapseResourceExtensions.MediaClaimName, options.Synapse.MediaStorePath, size: null);
        }
        return janitor;
    }
}
