namespace Matrix.AppHost.Media;

public static class LocalS3Extensions
{
    public const string ResourceName = Matrix.Stack.Wiring.ComponentNames.S3rver;

    /// <summary>
    /// s3rver as an executable resource of a local run: listening on loopback on the port the model allocates for its
    /// <c>http</c> endpoint, keeping its objects in <paramref name="dataFolder"/> (one per checkout, kept across runs like
    /// the media store), with <paramref name="bucket"/> created at start. Healthy once the bucket answers a listing.
    /// Run mode only (<see cref="LocalS3Settings"/> refuses it when publishing), and left out of the manifest besides.
    /// </summary>
    public static IResourceBuilder<S3rverResource> AddS3rver(this IDistributedApplicationBuilder builder, LocalS3Settings settings, string bucket, string dataFolder)
    {
        Directory.CreateDirectory(dataFolder);
        var s3rver = builder.AddResource(new S3rverResource(ResourceName, settings.Command, dataFolder))
            .WithHttpEndpoint(name: S3rverResource.HttpEndpointName);
        return s3rver
            .WithArgs("-d", dataFolder, "-a", "127.0.0.1", "-p", s3rver.Resource.HttpEndpoint.Property(EndpointProperty.TargetPort),
                "--configure-bucket", bucket, "--silent")
            // s3rver 3.7.1 encrypts list continuation tokens with a cipher OpenSSL 3 (Node 17+) offers only through its
            // legacy provider; without it every truncated listing (the janitor's verification pages) fails with 500.
            .WithEnvironment("NODE_OPTIONS", "--openssl-legacy-provider")
            .WithHttpHealthCheck("/" + bucket, endpointName: S3rverResource.HttpEndpointName)
            .ExcludeFromManifest();
    }
}
