using Matrix.AppHost.Files;
using Matrix.Stack.Model;
using Matrix.Stack.Rendering;

namespace Matrix.AppHost.Configuration;

/// <summary>
/// The configuration files Matrix.Stack generates for the deployment, without any secret value
/// (<see cref="StackRenderer.RenderConfiguration"/>: rendered without secrets, so none can be in them). Secrets reach the
/// containers separately, as secret parameters delivered one value per file.
/// </summary>
public static class StackFiles
{
    public static IReadOnlyList<RenderedFile> RenderConfig(MatrixDeployment deployment) =>
        StackRenderer.RenderConfiguration(deployment.Options);

    /// <summary>The files of one component folder (<c>coturn</c>), with paths relative to it.</summary>
    public static IReadOnlyList<GeneratedFile> Component(IEnumerable<RenderedFile> files, string component) =>
        files.Where(file => file.Component == component)
            .Select(file => new GeneratedFile(file.Path[(component.Length + 1)..], file.Content))
            .ToList();
}
