using Matrix.Stack.Model;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.Rendering;

/// <summary>Generates the files of one component from a validated deployment and its secrets.</summary>
public interface IComponentRenderer
{
    /// <summary>Every file of the component, secret files included (the CLI's <c>render</c>).</summary>
    IEnumerable<RenderedFile> Render(MatrixDeployment deployment, StackSecrets secrets);

    /// <summary>
    /// The component's <see cref="RenderedFileKind.Config"/> files, for hosts that deliver secrets on their own (one
    /// value per file or variable). No secret value is available here: by default the component renders with
    /// <see cref="StackSecrets.Empty"/>, so a renderer that would need a value fails loudly instead of writing one.
    /// </summary>
    IEnumerable<RenderedFile> RenderConfiguration(MatrixDeployment deployment) => Render(deployment, StackSecrets.Empty);
}
