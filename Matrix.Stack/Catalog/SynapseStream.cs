namespace Matrix.Stack.Catalog;

/// <summary>A Synapse replication stream that can be written by a worker (<c>stream_writers</c>).</summary>
/// <param name="Name">The key under <c>stream_writers</c>.</param>
/// <param name="AllowsMultipleWriters">Synapse shards this stream across writers; all others allow exactly one.</param>
public sealed record SynapseStream(string Name, bool AllowsMultipleWriters)
{
    public static readonly SynapseStream Events = new("events", true);
    public static readonly SynapseStream Typing = new("typing", false);
    public static readonly SynapseStream ToDevice = new("to_device", false);
    public static readonly SynapseStream AccountData = new("account_data", false);
    public static readonly SynapseStream Receipts = new("receipts", true);
    public static readonly SynapseStream Presence = new("presence", false);
    public static readonly SynapseStream PushRules = new("push_rules", false);
    public static readonly SynapseStream DeviceLists = new("device_lists", true);

    /// <summary>Media quarantine changes: written by the media repository workers (main has the media repository off once they exist).</summary>
    public static readonly SynapseStream QuarantinedMediaChanges = new("quarantined_media_changes", true);
}
