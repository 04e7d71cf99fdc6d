namespace Matrix.AppHost.Media;

/// <summary>Where Synapse media lives: the local media store, and the S3 bucket media is offloaded to.</summary>
/// <param name="S3">The S3 side, or null when S3 media is off.</param>
/// <param name="HostMediaStorePath">Run mode: the host folder bind-mounted as the media store (the janitor runs on the host). Null when published.</param>
public sealed record MediaStorage(S3Storage? S3, string? HostMediaStorePath);

/// <summary>
/// The S3 side's resources; how each process reaches the endpoint, with which credentials, is the wiring model's.
/// Both null for an external endpoint.
/// </summary>
/// <param name="MinIO">The MinIO container when the endpoint is the stack's own.</param>
/// <param name="BucketCreation">The one-shot container that creates the bucket in MinIO.</param>
/// <param name="S3rver">The local run's s3rver standing in for MinIO (<see cref="LocalS3Settings"/>); null otherwise.</param>
public sealed record S3Storage(
    IResourceBuilder<MinIOResource>? MinIO, IResourceBuilder<ContainerResource>? BucketCreation, IResourceBuilder<S3rverResource>? S3rver = null);
