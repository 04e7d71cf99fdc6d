namespace Matrix.AppHost.Synapse;

/// <summary>
/// The headless Service of a scalable worker pool in the Kubernetes placement (<c>synapse-client-reader</c>), which the
/// router reaches the pool as a whole by. Publish mode only, left out of Aspire's manifest (which has one resource per
/// process); the Service itself is published with the pool's StatefulSet (<see cref="SynapseKubernetesObjects"/>).
/// </summary>
public sealed class SynapsePoolServiceResource(string name) : Resource(name), IResourceWithEndpoints;
