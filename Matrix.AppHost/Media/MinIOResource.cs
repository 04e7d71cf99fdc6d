namespace Matrix.AppHost.Media;

/// <summary>The stack's own S3 server (MinIO): its S3 API and its web console.</summary>
public sealed class MinIOResource(string name) : ContainerResource(name)
{
    public const string HttpEndpointName = "http";
    public const string ConsoleEndpointName = "console";

    /// <summary>The <c>http</c> endpoint.</summary>
    public EndpointReference HttpEndpoint => field ??= new(this, HttpEndpointName);

    /// <summary>The <c>console</c> endpoint.</summary>
    public EndpointReference ConsoleEndpoint => field ??= new(this, ConsoleEndpointName);
}
