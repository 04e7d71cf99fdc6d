using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.WellKnown;

/// <summary>Placeholder until the WellKnown files are generated (in progress on its own branch).</summary>
public sealed class WellKnownRenderer : IComponentRenderer
{
    public IEnumerable<RenderedFile> Render(MatrixDeployment deployment, StackSecrets secrets) => [];
}
