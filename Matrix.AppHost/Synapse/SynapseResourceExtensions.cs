using Matrix.AppHost.Configuration;
using Matrix.AppHost.Files;
using Matrix.AppHost.Kubernetes;
using Matrix.AppHost.Media;
using Matrix.AppHost.Wiring;
using Matrix.Stack.Catalog;
using Matrix.Stack.Layout;
using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;
using Matrix.Stack.Synapse;
using Matrix.Stack.Wiring;

namespace Matrix.AppHost.Synapse;

public static class SynapseResourceExtensions
{
    private const string Component = "synapse";
    private const string WorkersFolder = "workers/";

    /// <summary>
    /// One container per Synapse process of the layout, named as Matrix.Stack names its host (<c>synapse-main</c>,
    /// <c>synapse-synchrotron-1</c>). Each gets the shared homeserver.yaml and log config plus its own worker file, the
    /// secret files, its listeners, health check and probe. Every worker starts once main is healthy; what main waits
    /// for is said by <see cref="SynapseProcesses.WaitForState"/>.
    /// </summary>
    public static SynapseProcesses AddSynapse(this IDistributedApplicationBuilder builder, MatrixStack stack, MediaStorage media)
    {
        var options = stack.Options;
        var layout = stack.Deployment.Layout;
        var user = SynapseRuntimeUser.For(builder.ExecutionContext);
        var files = stack.Files(Component);
        var secretFiles = SecretFiles(stack);
        var mediaHolders = MediaStoreHolders(layout);

        IResourceBuilder<SynapseProcessResource>? main = null;
        var all = new List<IResourceBuilder<SynapseProcessResource>>();
        foreach (var instance in layout.Instances)
        {
            var resource = builder.AddSynapseProcess(instance, stack, FilesOf(files, WorkerFile(instance.Name)), secretFiles, user, media);
            if (instance.IsMain)
            {
                main = resource;
            }
            else
            {
                resource.WaitFor(main ?? throw new InvalidOperationException("the layout lists main first"));
            }

            if (mediaHolders.Contains(instance.Name))
            {
                resource.WithMediaStore(options, media, mediaHolders[0] == instance.Name);
            }
            resource.PublishAsKubernetes(objects => SynapseKubernetesObjects.Apply(objects, stack));
            all.Add(resource);
        }
        if (builder.ExecutionContext.IsPublishMode)
        {
            AddKubernetesPlacement(builder, stack, all);
        }
        return new SynapseProcesses(main!, all);
    }

    // In Kubernetes the workers are StatefulSet pods, reached at their stable names, and a scalable pool as a whole at its
    // headless Service: what the pool-hosted wiring's references name.
    private static void AddKubernetesPlacement(IDistributedApplicationBuilder builder, MatrixStack stack, IEnumerable<IResourceBuilder<SynapseProcessResource>> processes)
    {
        var hosted = stack.PoolHosted;
        foreach (var process in processes)
        {
            if (hosted.Wiring[process.Resource.Name].Host is var host && host != process.Resource.Name)
            {
                process.WithAnnotation(new KubernetesHostAnnotation(host));
            }
        }
        foreach (var pool in StackWiring.ScalablePoolServices(hosted.Layout))
        {
            var service = builder.AddResource(new SynapsePoolServiceResource(pool.Name)).ExcludeFromManifest();
            foreach (var endpoint in pool.Endpoints)
            {
                service.WithHttpEndpoint(targetPort: endpoint.Port, name: endpoint.Name);
            }
        }
    }

    private static IResourceBuilder<SynapseProcessResource> AddSynapseProcess(
        this IDistributedApplicationBuilder builder,
        SynapseInstance instance,
        MatrixStack stack,
        IReadOnlyList<GeneratedFile> files,
        IReadOnlyList<SecretFile> secretFiles,
        SynapseRuntimeUser user,
        MediaStorage media)
    {
        var synapse = stack.Options.Synapse;
        var resource = builder.AddResource(new SynapseProcessResource(instance.Host, instance))
            .WithMatrixImage(stack.Images, ContainerImages.Component.Synapse)
            // The image's start script (kept as entrypoint) switches to UID:GID and runs the given app with our files.
            .WithArgs(Arguments(instance, synapse.ConfigDirectory, instance.IsMain ? [] : [$"{synapse.ConfigDirectory}/{WorkerFile(instance.Name)}"]))
            .WithEnvironment("UID", user.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("GID", user.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture))
            // Its listeners, the database password and (with the storage provider) the S3 credentials.
            .WithWiring(stack)
            .WithGeneratedFiles(synapse.ConfigDirectory, files, user.Uid)
            .WithSecretFiles(synapse.SecretsDirectory, secretFiles, user.Uid)
            // matrixdotorg/synapse's start.py switches to UID:GID (991:991 by default) only when it is not already that user.
            .WithKubernetesUser(new KubernetesRunAsAnnotation(user.Uid, user.Gid))
            .WithKubernetesSizing(stack.Sizing.ForPool(instance.PoolType));

        // The pinned image gets the storage provider built in; a configured image is used as it is (it must carry it).
        if (media.S3 is not null && stack.Options.S3.SynapseStorageProvider && !stack.Images.IsOverridden(ContainerImages.Component.Synapse))
        {
            resource.WithDockerfile(Path.Combine(builder.AppHostDirectory, "Synapse"), "synapse-s3.Dockerfile")
                .WithBuildArg("SYNAPSE_IMAGE", stack.Images[ContainerImages.Component.Synapse]!.Reference)
                .WithBuildArg("S3_STORAGE_PROVIDER_VERSION", ContainerImages.S3StorageProviderVersion);
        }
        // Synapse serves one health path, and a probe also registers the run-mode health check for its endpoint and path, so
        // there is one probe; the Kubernetes publisher derives startup (database migrations) and liveness from it.
        return resource.WithHttpProbe(ProbeType.Readiness, "/health", periodSeconds: 10, failureThreshold: 3, endpointName: EndpointNames.Http);
    }

    /// <summary>
    /// start.py arguments: <c>run -m &lt;app&gt; --config-path homeserver.yaml</c>, then a <c>--config-path</c> for each
    /// of <paramref name="moreConfigFiles"/> (a worker's own file).
    /// </summary>
    public static string[] Arguments(SynapseInstance instance, string configDirectory, params IEnumerable<string> moreConfigFiles) =>
        ["run", "-m", instance.Pool.WorkerApp, "--config-path", $"{configDirectory}/homeserver.yaml",
            .. moreConfigFiles.SelectMany(file => new[] { "--config-path", file })];

    /// <summary>The worker file of a process or pool, relative to the config directory: <c>workers/&lt;name&gt;.yaml</c>.</summary>
    public static string WorkerFile(string name) => $"{WorkersFolder}{name}.yaml";

    /// <summary>The shared files (homeserver.yaml, log config) plus <paramref name="workerFile"/>, if any, of the worker files.</summary>
    public static IReadOnlyList<GeneratedFile> FilesOf(IEnumerable<GeneratedFile> synapseFiles, string? workerFile) =>
        synapseFiles.Where(file => !file.RelativePath.StartsWith(WorkersFolder, StringComparison.Ordinal) || file.RelativePath == workerFile).ToList();

    /// <summary>
    /// Secret files every Synapse process gets: those homeserver.yaml names with <c>*_path</c> options (Matrix.Stack's
    /// <see cref="SynapseSecrets.Files"/>), the signing key and, with workers, Redis' password among them.
    /// </summary>
    public static IReadOnlyList<SecretFile> SecretFiles(MatrixStack stack) =>
        SynapseSecrets.Files(stack.Deployment).Select(file => stack.Secrets.File(file.SecretName)).ToList();

    /// <summary>The processes that keep the local media store: every media worker, or main when there is none.</summary>
    public static IReadOnlyList<string> MediaStoreHolders(SynapseLayout layout)
    {
        var mediaWorkers = layout.InstancesOf(PoolType.MediaRepository);
        return mediaWorkers.Count > 0 ? mediaWorkers.Select(i => i.Name).ToList() : [layout.Main.Name];
    }

    // Run mode: the host folder the janitor also sees. Kubernetes: one ReadWriteMany claim shared by the holders and the janitor.
    private static void WithMediaStore(this IResourceBuilder<SynapseProcessResource> resource, StackOptions options, MediaStorage media, bool first)
    {
        if (media.HostMediaStorePath is { } hostPath)
        {
            resource.WithBindMount(hostPath, options.Synapse.MediaStorePath);
        }
        else
        {
            resource.WithSharedClaim(MediaClaimName, options.Synapse.MediaStorePath, size: first ? "50Gi" : null);
        }
    }

    /// <summary>The claim holding the media store in Kubernetes (media processes and the janitor mount it).</summary>
    public const string MediaClaimName = "synapse-media-store";
}
