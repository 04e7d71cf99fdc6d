namespace Matrix.AppHost.Media;

/// <summary>The stack's own S3 server (MinIO): its S3 API and its web console.</summary>
public sealed class MinIOResource(string name) : ContainerResource(name)
{
    public const string HttpEndpointName = Matrix.Stack.Wiring.EndpointNames.Http;
    public const string ConsoleEndpointName = Matrix.Stack.Wiring.EndpointNames.Console;

    /// <summary>The <c>http</c> endpoint.</summary>
    public EndpointReference HttpEndpoint => field ??= new(this, HttpEndpointName);

    /// <summary>The <c>console</c> endpoint.</summary>
    public EndpointReference ConsoleEndpoint => field ??= new(this, ConsoleEndpointName);
}
