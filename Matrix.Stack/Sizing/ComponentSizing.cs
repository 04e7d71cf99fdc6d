namespace Matrix.Stack.Sizing;

/// <summary>
/// What one process asks of a node: a CPU request, a memory request and a memory limit (Kubernetes quantities). No
/// CPU limit: throttling a Python reactor hurts latency more than sharing a core does.
/// </summary>
public sealed record ComponentSizing(string CpuRequest, string MemoryRequest, string MemoryLimit);
