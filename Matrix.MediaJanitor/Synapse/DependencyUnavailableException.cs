namespace Matrix.MediaJanitor.Synapse;

/// <summary>A database or S3 endpoint the run needs cannot be used; the run stops before deleting anything more.</summary>
public sealed class DependencyUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
