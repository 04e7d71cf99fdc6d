namespace Matrix.MediaJanitor.SynapseAdmin;

/// <summary>Synapse's admin API refused or failed a call; the message never holds the access token.</summary>
public sealed class SynapseAdminException(string message) : Exception(message);
