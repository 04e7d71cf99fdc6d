using Matrix.AppHost.Files;
using Matrix.AppHost.Kubernetes;
using Matrix.AppHost.Secrets;
using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Wiring;

namespace Matrix.AppHost.Configuration;

/// <summary>
/// The deployment the model is built for, with what every resource builder needs: the layout and options, the secret
/// parameters, the images, and the configuration files, rendered once (without secrets) for the whole model.
/// </summary>
public sealed class MatrixStack
{
    private readonly IReadOnlyList<RenderedFile> _files;

    internal MatrixStack(MatrixDeployment deployment, StackWiring wiring, MatrixSecrets secrets, ContainerImages images, KubernetesPublishSettings kubernetes, Media.LocalS3Settings? localS3)
    {
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

    public ContainerImages Images { get; }

    /// <summary>What the Kubernetes output needs beyond the model (read when publishing; defaults otherwise).</summary>
    public KubernetesPublishSettings Kubernetes { get; }

    /// <summary>A local run's s3rver in place of MinIO (<c>Matrix:LocalS3:Enabled</c>), or null.</summary>
    public Media.LocalS3Settings? LocalS3 { get; }

    /// <summary>The files of one component folder (<c>coturn</c>), with paths relative to it.</summary>
    public IReadOnlyList<GeneratedFile> Files(string component) =>
        _files.Where(file => file.Component == component)
            .Select(file => new GeneratedFile(file.Path[(component.Length + 1)..], file.Content))
            .ToList();
}
