namespace Matrix.MediaJanitor.Storage;

/// <summary>An S3 request failed. <see cref="IsTransport"/>: the endpoint could not be reached at all.</summary>
public sealed class ObjectStoreException(string message, bool isTransport, Exception? inner = null) : Exception(message, inner)
{
    public bool IsTransport { get; } = isTransport;
}
