using Matrix.AppHost.Files;
using Matrix.Stack.Layout;
using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Wiring;

namespace Matrix.AppHost.Configuration;

/// <summary>
/// The same deployment as the Kubernetes output places it (<see cref="SynapseHosting.PoolServices"/>): each worker pool a
/// StatefulSet behind a headless Service, so workers are reached at their pods' stable names and scalable pools as a
/// whole. Matrix.Stack decides its layout, wiring and files as for any host; the model's resources publish from it.
/// </summary>
public sealed class PoolHostedStack
{
    private readonly IReadOnlyList<RenderedFile> _files;

    public PoolHostedStack(StackOptions options, RouterTrust trust)
    {
        Deployment = MatrixDeployment.Create(options, SynapseHosting.PoolServices);
        Wiring = StackWiring.Create(Deployment, trust);
        _files = StackRenderer.RenderConfiguration(options, SynapseHosting.PoolServices);
    }

    public MatrixDeployment Deployment { get; }

    public SynapseLayout Layout => Deployment.Layout;

    public StackWiring Wiring { get; }

    /// <summary>The files of one component folder (<c>synapse</c>), with paths relative to it.</summary>
    public IReadOnlyList<GeneratedFile> Files(string component) => GeneratedFile.Of(_files, component);
}
