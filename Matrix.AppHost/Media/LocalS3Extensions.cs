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
        var s3rver = builder.AddResource(new S3rverResource(ResourceName, settings.Command, dataFolder));
        return s3rver
            .WithHttpEndpoint(name: S3rverResource.HttpEndpointName)
            .WithArgs(context =>
            {
                context.Args.Add("-d");
                context.Args.Add(dataFolder);
                context.Args.Add("-a");
                context.Args.Add("127.0.0.1");
                context.Args.Add("-p");
                context.Args.Add(s3rver.Resource.HttpEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--configure-bucket");
                context.Args.Add(bucket);
                context.Args.Add("--silent");
            })
            // s3rver 3.7.1 encrypts list continuation tokens with a cipher OpenSSL 3 (Node 17+) offers only through its
            // legacy provider; without it every truncated listing (the janitor's verification pages) fails with 500.
            .WithEnvironment("NODE_OPTIONS", "--openssl-legacy-provider")
            .WithHttpHealthCheck("/" + bucket, endpointName: S3rverResource.HttpEndpointName)
            .ExcludeFromManifest();
    }
}
