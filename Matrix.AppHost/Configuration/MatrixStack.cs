using Matrix.AppHost.Files;
using Matrix.AppHost.Kubernetes;
using Matrix.AppHost.Secrets;
using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Sizing;
using Matrix.Stack.Wiring;

namespace Matrix.AppHost.Configuration;

/// <summary>
/// The deployment the model is built for, with what every resource builder needs: the layout and options, the secret
/// parameters, the images, and the configuration files, rendered once (without secrets) for the whole model.
/// </summary>
public sealed class MatrixStack
{
    private readonly IReadOnlyList<RenderedFile> _files;

    private readonly Lazy<PoolHostedStack> _poolHosted;

    internal MatrixStack(MatrixDeployment deployment, StackWiring wiring, RouterTrust trust, MatrixSecrets secrets, ContainerImages images, KubernetesPublishSettings kubernetes, Media.LocalS3Settings? localS3)
    {
        _poolHosted = new(() => new PoolHostedStack(deployment.Options, trust));
        LocalS3 = localS3;
        Kubernetes = kubernetes;
        Deployment = deployment;
        Wiring = wiring;
        Secrets = secrets;
        Images = images;
        _files = StackRenderer.RenderConfiguration(deployment.Options);
    }

    public MatrixDeployment Deployment { get; }

    public StackOptions Options => Deployment.Options;

    /// <summary>Which component gets what from whom (Matrix.Stack's wiring model): the resources' environment comes from here.</summary>
    public StackWiring Wiring { get; }

    public MatrixSecrets Secrets { get; }

    /// <summary>Run mode: the host folder bind-mounted as Synapse's media store, which the janitor (a host process) reads. Null when published.</summary>
    public string? HostMediaStorePath { get; init; }

    public ContainerImages Images { get; }

    /// <summary>Requests and limits of every component in Kubernetes, by layout (Matrix.Stack's sizing).</summary>
    public StackSizing Sizing => StackSizing.For(Options);

    /// <summary>What the Kubernetes output needs beyond the model (read when publishing; defaults otherwise).</summary>
    public KubernetesPublishSettings Kubernetes { get; }

    /// <summary>The same deployment with worker pools as StatefulSets, as the Kubernetes output places it (computed when first asked).</summary>
    public PoolHostedStack PoolHosted => _poolHosted.Value;

    /// <summary>
    /// The wiring of the placement a callback is evaluated for: the Kubernetes publisher's (<see cref="KubernetesEnvironmentResource.PublisherName"/>)
    /// is the pool-hosted one; run mode and Aspire's manifest have one resource per process.
    /// </summary>
    public StackWiring WiringFor(DistributedApplicationExecutionContext context) =>
        context.PublisherName == KubernetesEnvironmentResource.PublisherName ? PoolHosted.Wiring : Wiring;

    /// <summary>A local run's s3rver in place of MinIO (<c>Matrix:LocalS3:Enabled</c>), or null.</summary>
    public Media.LocalS3Settings? LocalS3 { get; }

    /// <summary>The files of one component folder (<c>coturn</c>), with paths relative to it.</summary>
    public IReadOnlyList<GeneratedFile> Files(string component) => GeneratedFile.Of(_files, component);
}
