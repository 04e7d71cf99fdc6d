namespace Matrix.MediaJanitor.Storage;

/// <summary>What a HEAD tells about an object: its length, the SHA-256 the janitor stored as metadata (if any), its ETag.</summary>
public sealed record StoredObject(long Length, string? Sha256Metadata, string? ETag);
