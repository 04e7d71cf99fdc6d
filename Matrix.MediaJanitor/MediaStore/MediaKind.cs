namespace Matrix.MediaJanitor.MediaStore;

/// <summary>Which Synapse table a media row comes from.</summary>
public enum MediaKind
{
    Local,
    Remote,
}
