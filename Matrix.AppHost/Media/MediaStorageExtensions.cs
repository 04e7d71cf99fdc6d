using Matrix.AppHost.Configuration;
using Matrix.AppHost.Kubernetes;
using Matrix.AppHost.Wiring;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Media;

public static class MediaStorageExtensions
{
    public const string MinIOResourceName = Matrix.Stack.Wiring.ComponentNames.MinIO;
    public const string BucketCreationResourceName = "minio-bucket";

    /// <summary>
    /// S3 media: MinIO as a plain container (the Community Toolkit MinIO integration is obsolete since the MinIO project
    /// was archived) with the bucket created at start, unless <c>s3.endpoint</c> points somewhere else (then nothing is
    /// started and the credentials are the operator's). Also the local media store shared by Synapse and the janitor.
    /// </summary>
    public static MediaStorage AddMediaStorage(this IDistributedApplicationBuilder builder, MatrixStack stack)
    {
        var hostMediaStore = stack.HostMediaStorePath;
        var options = stack.Options.S3;
        if (!options.Enabled)
        {
            return new MediaStorage(null, hostMediaStore);
        }

        if (stack.LocalS3 is { } localS3)
        {
            // The janitor reaches it by the wiring model (its endpoint, s3rver's own fixed keys).
            var s3rver = builder.AddS3rver(localS3, options.Bucket,
                localS3.DataPath ?? Path.Combine(LocalDataFolder(builder.AppHostDirectory), LocalS3Extensions.ResourceName));
            return new MediaStorage(new S3Storage(null, null, s3rver), hostMediaStore);
        }

        if (!options.UsesStackMinIO)
        {
            return new MediaStorage(new S3Storage(null, null), hostMediaStore);
        }

        var minio = builder.AddResource(new MinIOResource(MinIOResourceName))
            .WithMatrixImage(stack.Images, ContainerImages.Component.MinIO)
            // Its certificate folder defaults to $HOME/.minio, which a user without a home (Kubernetes) cannot create.
            .WithArgs("server", "/data", "--console-address", $":{Matrix.Stack.Model.S3MediaOptions.StackMinIOConsolePort}", "--certs-dir", "/tmp/minio-certs")
            .WithWiring(stack)
            .WithVolume("minio-data", "/data")
            // MinIO's image declares no user; 1000:1000 is what MinIO's own Helm chart runs it as, owning the data volume.
            .WithKubernetesUser(new KubernetesRunAsAnnotation(1000, 1000, FsGroup: 1000))
            .WithKubernetesSizing(stack.Sizing.MinIO)
            .WithHttpProbe(ProbeType.Readiness, "/minio/health/ready", periodSeconds: 10, endpointName: "http")
            .WithHttpProbe(ProbeType.Liveness, "/minio/health/live", periodSeconds: 30, failureThreshold: 3, endpointName: "http");

        // `mc` ships in the MinIO image: one shot that waits for the server, then creates the bucket if it is missing.
        var endpoint = Matrix.Stack.Model.S3MediaOptions.StackMinIOEndpoint;
        var bucketCreation = builder.AddContainer(BucketCreationResourceName, ContainerImages.Component.MinIO)
            .WithMatrixImage(stack.Images, ContainerImages.Component.MinIO)
            .WithEntrypoint("/bin/sh")
            .WithArgs("-c", BucketCreationScript(endpoint, options.Bucket))
            .WithEnvironment("MINIO_ROOT_USER", stack.Secrets[SecretName.S3AccessKeyId])
            .WithEnvironment("MINIO_ROOT_PASSWORD", stack.Secrets[SecretName.S3SecretAccessKey])
            .WithParentRelationship(minio)
            .WaitFor(minio)
            .WithKubernetesUser(new KubernetesRunAsAnnotation(1000, 1000))
            .WithKubernetesSizing(stack.Sizing.OneShot)
            .PublishAsKubernetesJob();

        return new MediaStorage(new S3Storage(minio, bucketCreation), hostMediaStore);
    }

    /// <summary>
    /// The shell commands of the bucket creation; credentials come from the environment, never the command line. mc's
    /// configuration goes to /tmp: its default, $HOME/.mc, cannot be created by a user without a home (Kubernetes).
    /// </summary>
    public static string BucketCreationScript(string endpoint, string bucket) =>
        $"set -e; until mc --config-dir /tmp/mc alias set stack {endpoint} \"$MINIO_ROOT_USER\" \"$MINIO_ROOT_PASSWORD\" >/dev/null; do sleep 1; done; " +
        $"mc --config-dir /tmp/mc mb --ignore-existing stack/{bucket}";

    public const string HostPathKey = "Matrix:MediaStoreHostPath";

    // Run mode: a host folder, so the media janitor (a host process) sees the files Synapse writes.
    internal static string PrepareHostMediaStore(Microsoft.Extensions.Configuration.IConfiguration configuration, string appHostDirectory)
    {
        var path = configuration[HostPathKey] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : DefaultHostMediaStore(appHostDirectory);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// The media folder of a local run when <c>Matrix:MediaStoreHostPath</c> is not set: <c>media_store</c> in the
    /// checkout's <see cref="LocalDataFolder"/>.
    /// </summary>
    public static string DefaultHostMediaStore(string appHostDirectory) => Path.Combine(LocalDataFolder(appHostDirectory), "media_store");

    /// <summary>
    /// Where a local run keeps what lives on the host (the media store, s3rver's objects): one folder per checkout, as
    /// the database volume is one per AppHost (Aspire names it after a hash of the AppHost's path), so two checkouts on
    /// one machine never share data while each keeps its own across runs. The checkout's folder name is kept for people
    /// looking at the disk: <c>~/.local/share/matrix-stack/&lt;checkout&gt;-&lt;hash&gt;</c> on Linux.
    /// </summary>
    public static string LocalDataFolder(string appHostDirectory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(appHostDirectory));
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(full)))[..10];
        var checkout = Path.GetFileName(Path.GetDirectoryName(full)) is { Length: > 0 } name ? name : "apphost";
        return Path.Combine(
            Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
            "matrix-stack", $"{checkout}-{hash}");
    }
}
