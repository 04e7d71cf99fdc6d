using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.Synapse;

/// <summary>Placeholder until the Synapse files are generated (in progress on its own branch).</summary>
public sealed class SynapseConfigRenderer : IComponentRenderer
{
    public IEnumerable<RenderedFile> Render(MatrixDeployment deployment, StackSecrets secrets) => [];
}
