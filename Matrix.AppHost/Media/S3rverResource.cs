namespace Matrix.AppHost.Media;

/// <summary>s3rver, the local S3 stand-in (<see cref="LocalS3Settings"/>): a host process serving S3 on a port the model allocates.</summary>
public sealed class S3rverResource(string name, string command, string workingDirectory) : ExecutableResource(name, command, workingDirectory)
{
    public const string HttpEndpointName = Matrix.Stack.Wiring.EndpointNames.Http;

    /// <summary>The <c>http</c> endpoint (S3's API).</summary>
    public EndpointReference HttpEndpoint => field ??= new(this, HttpEndpointName);
}
