namespace Matrix.Stack.Model;

/// <summary>The Synapse Admin web UI (restricted to this homeserver).</summary>
public sealed class SynapseAdminOptions
{
    public bool Enabled { get; set; } = true;
}
