using Matrix.AppHost.Files;
using Matrix.AppHost.Secrets;
using Matrix.Stack.Model;
using Matrix.Stack.Rendering;

namespace Matrix.AppHost.Configuration;

/// <summary>
/// The deployment the model is built for, with what every resource builder needs: the layout and options, the secret
/// parameters, the images, and the configuration files, rendered once (without secrets) for the whole model.
/// </summary>
public sealed class MatrixStack
{
    private readonly IReadOnlyList<RenderedFile> _files;

    internal MatrixStack(MatrixDeployment deployment, MatrixSecrets secrets, ContainerImages images)
    {
        Deployment = deployment;
        Secrets = secrets;
        Images = images;
        _files = StackRenderer.RenderConfiguration(deployment.Options);
    }

    public MatrixDeployment Deployment { get; }

    public StackOptions Options => Deployment.Options;

    public MatrixSecrets Secrets { get; }

    public ContainerImages Images { get; }

    /// <summary>The files of one component folder (<c>coturn</c>), with paths relative to it.</summary>
    public IReadOnlyList<GeneratedFile> Files(string component) =>
        _files.Where(file => file.Component == component)
            .Select(file => new GeneratedFile(file.Path[(component.Length + 1)..], file.Content))
            .ToList();
}
