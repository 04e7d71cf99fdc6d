using Matrix.Stack.Layout;

namespace Matrix.AppHost.Synapse;

/// <summary>The Synapse containers of the layout: main, then every worker instance, each with the layout entry it runs.</summary>
public sealed record SynapseProcesses(
    IResourceBuilder<ContainerResource> Main,
    IReadOnlyList<(SynapseInstance Instance, IResourceBuilder<ContainerResource> Resource)> All)
{
    public const string HttpEndpoint = "http";
    public const string ReplicationEndpoint = "replication";
    public const string MetricsEndpoint = "metrics";
}
