namespace Matrix.MediaJanitor.Synapse;

/// <summary>A <c>local_media_repository</c> row: what the janitor needs of it.</summary>
public sealed record LocalMediaRow(string MediaId, long? Length, string? Sha256);

/// <summary>A <c>remote_media_cache</c> row; files are named by <c>filesystem_id</c>.</summary>
public sealed record RemoteMediaRow(string Origin, string MediaId, string FilesystemId, long? Length, string? Sha256);

/// <summary>A row of either thumbnail table (nullable as in Synapse's schema).</summary>
public sealed record ThumbnailRow(int? Width, int? Height, string? Type, string? Method, long? Length);
