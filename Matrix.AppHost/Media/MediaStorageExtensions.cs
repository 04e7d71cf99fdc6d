using Matrix.AppHost.Configuration;
using Matrix.AppHost.Kubernetes;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Media;

public static class MediaStorageExtensions
{
    public const string MinIOResourceName = Matrix.Stack.Wiring.ComponentNames.MinIO;
    public const string BucketCreationResourceName = "minio-bucket";
    public const int MinIOPort = 9000;

    /// <summary>
    /// S3 media: MinIO as a plain container (the Community Toolkit MinIO integration is obsolete since the MinIO project
    /// was archived) with the bucket created at start, unless <c>s3.endpoint</c> points somewhere else (then nothing is
    /// started and the credentials are the operator's). Also the local media store shared by Synapse and the janitor.
    /// </summary>
    public static MediaStorage AddMediaStorage(this IDistributedApplicationBuilder builder, MatrixStack stack)
    {
        var hostMediaStore = builder.ExecutionContext.IsRunMode ? PrepareHostMediaStore(builder.Configuration) : null;
        var options = stack.Options.S3;
        if (!options.Enabled)
        {
            return new MediaStorage(null, hostMediaStore);
        }

        var accessKey = stack.Secrets[SecretName.S3AccessKeyId];
        var secretKey = stack.Secrets[SecretName.S3SecretAccessKey];
        if (!options.UsesStackMinIO)
        {
            return new MediaStorage(new S3Storage(options.Endpoint, options.Bucket, accessKey, secretKey, null, null), hostMediaStore);
        }

        var minio = builder.AddResource(new MinIOResource(MinIOResourceName))
            .WithMatrixImage(stack.Images, ContainerImages.Component.MinIO)
            .WithArgs("server", "/data", "--console-address", ":9001")
            .WithEnvironment("MINIO_ROOT_USER", accessKey)
            .WithEnvironment("MINIO_ROOT_PASSWORD", secretKey)
            .WithHttpEndpoint(targetPort: MinIOPort, name: MinIOResource.HttpEndpointName)
            .WithHttpEndpoint(targetPort: 9001, name: MinIOResource.ConsoleEndpointName)
            .WithVolume("minio-data", "/data")
            .WithKubernetesSizing(ComponentSizing.MinIO);
        AddHealthProbes(minio);

        // `mc` ships in the MinIO image: one shot that waits for the server, then creates the bucket if it is missing.
        var endpoint = Matrix.Stack.Model.S3MediaOptions.StackMinIOEndpoint;
        var bucketCreation = builder.AddContainer(BucketCreationResourceName, ContainerImages.Component.MinIO)
            .WithMatrixImage(stack.Images, ContainerImages.Component.MinIO)
            .WithEntrypoint("/bin/sh")
            .WithArgs("-c", BucketCreationScript(endpoint, options.Bucket))
            .WithEnvironment("MINIO_ROOT_USER", accessKey)
            .WithEnvironment("MINIO_ROOT_PASSWORD", secretKey)
            .WithParentRelationship(minio)
            .WaitFor(minio)
            .PublishAsKubernetesJob();

        return new MediaStorage(new S3Storage(endpoint, options.Bucket, accessKey, secretKey, minio, bucketCreation), hostMediaStore);
    }

    /// <summary>The shell commands of the bucket creation; credentials come from the environment, never the command line.</summary>
    public static string BucketCreationScript(string endpoint, string bucket) =>
        $"set -e; until mc alias set stack {endpoint} \"$MINIO_ROOT_USER\" \"$MINIO_ROOT_PASSWORD\" >/dev/null; do sleep 1; done; " +
        $"mc mb --ignore-existing stack/{bucket}";

    private static void AddHealthProbes(IResourceBuilder<MinIOResource> minio) =>
        minio.WithHttpProbe(ProbeType.Readiness, "/minio/health/ready", periodSeconds: 10, endpointName: "http")
            .WithHttpProbe(ProbeType.Liveness, "/minio/health/live", periodSeconds: 30, failureThreshold: 3, endpointName: "http");

    // Run mode: a host folder, so the media janitor (a host process) sees the files Synapse writes.
    private static string PrepareHostMediaStore(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var path = configuration["Matrix:MediaStoreHostPath"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "matrix-stack", "media_store");
        Directory.CreateDirectory(path);
        return path;
    }
}
