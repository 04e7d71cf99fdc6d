using Matrix.Stack.Layout;

namespace Matrix.AppHost.Synapse;

/// <summary>
/// One Synapse process of the layout (main or a worker instance) as a container resource that knows which layout entry
/// it runs: its pool, worker app and listeners, for whoever reads the model (the router wiring, the Kubernetes output, tests).
/// </summary>
public sealed class SynapseProcessResource(string name, SynapseInstance instance) : ContainerResource(name)
{
    public SynapseInstance Instance { get; } = instance;
}
