using Matrix.AppHost.Configuration;
using Matrix.AppHost.Kubernetes;
using Matrix.AppHost.Synapse;
using Matrix.AppHost.Wiring;

namespace Matrix.AppHost.Media;

public static class MediaJanitorExtensions
{
    public const string ResourceName = Matrix.Stack.Wiring.ComponentNames.MediaJanitor;
    public const string HttpEndpoint = "http";

    /// <summary>Kubernetes schedule of the janitor: hourly, at a minute away from the top of the hour.</summary>
    public const string Schedule = "17 * * * *";

    /// <summary>
    /// Matrix.MediaJanitor: offloads media older than its threshold from the local store to S3, verifies, frees disk.
    /// Under the dashboard it runs as a service on its own schedule (with /health); in Kubernetes it is a CronJob
    /// running <c>--once</c>. Its environment (its <c>Janitor</c> section, <c>ConnectionStrings__synapse</c>, the S3
    /// credentials) is the wiring model's.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddMediaJanitor(this IDistributedApplicationBuilder builder, MatrixStack stack, S3Storage s3)
    {
#pragma warning disable ASPIRECERTIFICATES001 // Experimental: WithoutHttpsCertificate, the opt-out of Aspire's run-mode TLS.
#pragma warning disable CS0618 // Aspire 17 obsoletes AddProject<T> for Aspire.Hosting.Dotnet's AddDotnetProject; docs/apphost.md "Aspire 17".
        var janitor = builder.AddProject<Projects.Matrix_MediaJanitor>(ResourceName, launchProfileName: null)
#pragma warning restore CS0618
            // Plain HTTP only (its /health): no development certificate offered, so the dashboard shows no banner about
            // one (docs/apphost.md "Run").
            .WithoutHttpsCertificate()
            .WithWiring(stack)
            .WithKubernetesSizing(stack.Sizing.MediaJanitor)
            // The image's own user; the pod runs as the shared media claim's writer instead when it mounts that claim.
            .WithKubernetesUser(Matrix.AppHost.Routing.MatrixRouterExtensions.DotnetContainerUser)
            .PublishAsKubernetesCronJob(Schedule, "--once");
#pragma warning restore ASPIRECERTIFICATES001

        if (s3.S3rver is { } s3rver)
        {
            // Healthy means the bucket answers, so the janitor's first run finds it.
            janitor.WaitFor(s3rver);
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
            janitor.WithSharedClaim(SynapseResourceExtensions.MediaClaimName, stack.Options.Synapse.MediaStorePath, size: null);
        }
        return janitor;
    }
}
