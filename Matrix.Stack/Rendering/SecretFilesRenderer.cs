using Matrix.Stack.Model;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.Rendering;

/// <summary>One file per required secret under <c>secrets/</c>: configs point at these paths instead of holding values.</summary>
public sealed class SecretFilesRenderer : IComponentRenderer
{
    public const string Folder = "secrets";

    public IEnumerable<RenderedFile> Render(MatrixDeployment deployment, StackSecrets secrets) =>
        SecretName.RequiredFor(deployment.Options)
            .Select(name => new RenderedFile($"{Folder}/{name}", secrets.Reveal(name), RenderedFileKind.Secret));

    /// <summary>Nothing: every file of this renderer is a secret.</summary>
    public IEnumerable<RenderedFile> RenderConfiguration(MatrixDeployment deployment) => [];
}
