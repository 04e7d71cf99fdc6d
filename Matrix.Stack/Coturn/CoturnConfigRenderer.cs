using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.Coturn;

/// <summary>Placeholder until the Coturn files are generated (in progress on its own branch).</summary>
public sealed class CoturnConfigRenderer : IComponentRenderer
{
    public IEnumerable<RenderedFile> Render(MatrixDeployment deployment, StackSecrets secrets) => [];
}
