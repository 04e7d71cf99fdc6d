using Matrix.Stack.Catalog;

namespace Matrix.Stack.Layout;

/// <summary>One Synapse process: main or one worker instance of a pool.</summary>
/// <param name="Name">The <c>worker_name</c> (<c>synchrotron-1</c>), or <c>main</c>; also its host name in per-instance hosting.</param>
/// <param name="Index">1-based index inside its pool.</param>
/// <param name="HttpPort">Port of its public (or health-only) HTTP listener.</param>
/// <param name="Host">Where other processes reach it: the Aspire resource and Kubernetes service name in per-instance hosting.</param>
/// <param name="ReplicationPort">Port of its replication listener, for main and stream writers.</param>
/// <param name="MetricsPort">Port of its Prometheus metrics listener, when metrics are on.</param>
public sealed record SynapseInstance(
    string Name,
    PoolDefinition Pool,
    int Index,
    string Host,
    int HttpPort,
    int? ReplicationPort,
    int? MetricsPort)
{
    public PoolType PoolType => Pool.Type;

    public bool IsMain => Pool.Type == PoolType.Main;
}
