namespace Matrix.MediaJanitor.MediaStore;

/// <summary>A row whose ids Synapse itself could not turn into a path.</summary>
public sealed class InvalidMediaPathException(string message) : Exception(message);
