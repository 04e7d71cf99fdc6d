using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.LiveKit;

/// <summary>Placeholder until the LiveKit files are generated (in progress on its own branch).</summary>
public sealed class LiveKitConfigRenderer : IComponentRenderer
{
    public IEnumerable<RenderedFile> Render(MatrixDeployment deployment, StackSecrets secrets) => [];
}
