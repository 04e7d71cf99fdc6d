namespace Matrix.Stack.Layout;

/// <summary>How the Synapse processes of a layout are placed, which decides the host each one is reached at.</summary>
public enum SynapseHosting
{
    /// <summary>
    /// Every process its own host named after it (<c>synapse-synchrotron-1</c>: an Aspire resource, a container, a
    /// Service), or all on <c>synapse.instanceHost</c> with their own ports.
    /// </summary>
    ProcessHosts,

    /// <summary>
    /// Main on its own host; each worker pool a group of pods named after its workers (<c>synchrotron-1</c>, ...: a
    /// Kubernetes StatefulSet whose ordinals start at 1) behind a headless Service <c>&lt;synapse.hostPrefix&gt;&lt;pool&gt;</c>.
    /// A worker is reached at its pod's stable name <c>synchrotron-1.synapse-synchrotron</c>; a pool that Synapse's
    /// shared config does not name instance by instance (<see cref="Catalog.PoolDefinition.ScalesWithoutNewConfig"/>)
    /// is reached as a whole at its Service, whose name resolves to every ready pod, and its pods take their
    /// <c>worker_name</c> from where they run (<see cref="Synapse.PodWorkerName"/>), so it can grow without new files.
    /// </summary>
    PoolServices,
}
