namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// A persistent volume claim several pods mount at once (the media store: media workers and the janitor), so its storage
/// class must offer ReadWriteMany. One resource creates it (<paramref name="Size"/> set); the others only mount it.
/// </summary>
public sealed record SharedClaimAnnotation(string ClaimName, string MountPath, string? Size) : IResourceAnnotation
{
    public bool CreatesClaim => Size is not null;
}
