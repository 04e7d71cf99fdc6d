using Matrix.Stack.Model;
using Matrix.Stack.Secrets;

namespace Matrix.Stack.Rendering;

/// <summary>Generates the files of one component from a validated deployment and its secrets.</summary>
public interface IComponentRenderer
{
    IEnumerable<RenderedFile> Render(MatrixDeployment deployment, StackSecrets secrets);
}
