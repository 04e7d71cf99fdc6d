using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.ElementWeb;

/// <summary>Placeholder until the ElementWeb files are generated (in progress on its own branch).</summary>
public sealed class ElementWebConfigRenderer : IComponentRenderer
{
    public IEnumerable<RenderedFile> Render(MatrixDeployment deployment, StackSecrets secrets) => [];
}
