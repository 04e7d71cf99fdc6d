using Matrix.Router.Security;
using Matrix.Stack.Routing;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Matrix.Router.Routing;

/// <summary>
/// A request on its way to a Synapse process, and how it is rewritten for the hop: the instance receives exactly the
/// normalised target the matcher saw, the client address and scheme the router decided, and the original Host.
/// </summary>
public sealed class ForwardedRequest(MatrixPathNormalizer.NormalizedTarget target, RouteDecision decision, ClientInfo client) : HttpTransformer
{
    /// <summary>Forwarding headers a client may have sent: dropped, then set from what the router decided.</summary>
    internal static readonly string[] ForwardingHeaders = ["X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port", "X-Real-IP", "Forwarded"];

    private static readonly UriCreationOptions ExactTarget = new() { DangerousDisablePathAndQueryCanonicalization = true };

    public MatrixPathNormalizer.NormalizedTarget Target { get; } = target;

    public RouteDecision Decision { get; } = decision;

    public ClientInfo Client { get; } = client;

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var headers = proxyRequest.Headers;
        var incoming = httpContext.Request.Headers;
        foreach (var name in ForwardingHeaders)
        {
            if (incoming.ContainsKey(name))
            {
                headers.Remove(name);
            }
        }
        headers.TryAddWithoutValidation("X-Forwarded-For", Client.Address.ToString());
        headers.TryAddWithoutValidation("X-Forwarded-Proto", Client.Scheme);
        // As the client sent it (checked by HostHeader before forwarding); HttpRequest.Host would decode Punycode.
        var host = httpContext.Request.Headers.Host.ToString();
        if (host.Length > 0)
        {
            headers.Host = host;
        }
        // Byte for byte what the matcher saw: System.Uri would otherwise escape raw '"', '<', '>', '^', '`', '{', '|'
        // and '}', and the instance would get a different path than the one the router decided on.
        proxyRequest.RequestUri = new Uri(string.Concat(destinationPrefix, Target.Value), in ExactTarget);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        // A 204 has no body, so no Content-Length (RFC 9110 §8.6). An instance that sends a non-zero one anyway made
        // Kestrel turn the 204 into a 500 ("too few bytes written") with an error logged: the 204 is the answer.
        if (proxyResponse?.StatusCode == System.Net.HttpStatusCode.NoContent)
        {
            httpContext.Response.ContentLength = null;
        }
        return proceed;
    }
}
