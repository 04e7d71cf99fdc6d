using Matrix.Router.Configuration;
using Matrix.Router.Security;
using Matrix.Router.Status;
using Matrix.Router.Telemetry;
using Matrix.Stack.Catalog;
using Matrix.Stack.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Matrix.Router.Routing;

/// <summary>
/// The router's request pipeline: normalise the raw target (400 when it cannot be), serve the router's own
/// endpoints, enforce the admin allow-list and body limits, match the pool and forward. Requests for
/// <c>/health</c> and <c>/alive</c> continue to the router's own health endpoints.
/// </summary>
public sealed class ForwardingMiddleware(
    RequestDelegate next,
    RoutingTable table,
    PoolForwarder forwarder,
    ClientAddressResolver addresses,
    AdminAccessPolicy admin,
    RouterStatus status,
    RouterOptions options,
    RouterMetrics metrics,
    RejectionLog rejections)
{
    public const string StatusPath = "/_router/status";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        // Client mistakes answered here, before anything reaches an instance: counted, logged at most once per interval.
        if (HttpMethods.IsConnect(request.Method))
        {
            rejections.Rejected("connect");
            context.Response.Headers.Allow = "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH";
            return MatrixErrorResponse.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, MatrixErrorResponse.Unrecognized, "CONNECT is not supported.");
        }
        // The raw header: HttpRequest.Host decodes Punycode and throws on invalid labels. Absent (HTTP/1.0) is fine;
        // present, it must be a host (an empty one was forwarded as two Host lines).
        if (request.Headers.Host is { Count: > 0 } host && !HostHeader.IsValid(host.ToString()))
        {
            rejections.Rejected("bad_host");
            return MatrixErrorResponse.WriteAsync(context, StatusCodes.Status400BadRequest, MatrixErrorResponse.Unrecognized, "The Host header is not a valid host name.");
        }

        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        if (!MatrixPathNormalizer.TryNormalize(rawTarget, out var target, out var reason))
        {
            metrics.Rejected("bad_target");
            return MatrixErrorResponse.WriteAsync(context, StatusCodes.Status400BadRequest, MatrixErrorResponse.Unrecognized, $"Bad request target: {reason}.");
        }
        if (RequestHeadSize(request.Method, target.Value, request.Headers, options.Limits.MaxRequestHeadSize) > options.Limits.MaxRequestHeadSize)
        {
            rejections.Rejected("head_too_large");
            return MatrixErrorResponse.WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, MatrixErrorResponse.TooLarge,
                "The request headers are too large.");
        }

        var path = target.Path;
        if (path is "/health" or "/alive")
        {
            return next(context);
        }

        var client = addresses.Resolve(context);
        if (path is StatusPath)
        {
            return admin.Allows(client)
                ? status.WriteAsync(context)
                : Forbid(context, "The router status is not available from this address.");
        }
        if (AdminAccessPolicy.IsAdminPath(path) && !admin.Allows(client))
        {
            return Forbid(context, "The admin API is not available from this address.");
        }
        if (AdminAccessPolicy.IsMasApiPath(path) && !admin.AllowsMasApi(client))
        {
            return Forbid(context, "This API is not available from this address.");
        }

        var decision = table.Matcher.Match(context.Request.Method, path, target.Query);

        RequestBodyWatch? body = null;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            var limit = table.BodyLimit(decision.Pool);
            if (context.Request.ContentLength > limit)
            {
                metrics.Rejected("too_large");
                return MatrixErrorResponse.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, MatrixErrorResponse.TooLarge,
                    $"The request body is larger than the {limit} bytes allowed here.");
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
            {
                sizeLimit.MaxRequestBodySize = limit;
            }
            body = new RequestBodyWatch(context.Request.BodyReader);
            context.Request.Body = body;
        }

        return forwarder.ForwardAsync(context, new ForwardedRequest(target, decision, client), body);
    }

    /// <summary>
    /// The request line and header lines as the instance will read them (<c>Name: value</c>, CRLFs not counted), as
    /// Twisted counts them: it closes the connection without an answer once they exceed 16 KiB.
    /// </summary>
    private static long RequestHeadSize(string method, string target, IHeaderDictionary headers, long limit)
    {
        long size = method.Length + 1 + target.Length + " HTTP/1.1".Length;
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                size += name.Length + 2 + (value?.Length ?? 0);
            }
        }
        // Values are forwarded as UTF-8 (up to 3 bytes a char): count bytes only when chars alone could not tell.
        return size * 3 <= limit ? size : RequestHeadBytes(size, headers);
    }

    private static long RequestHeadBytes(long size, IHeaderDictionary headers)
    {
        foreach (var (_, values) in headers)
        {
            foreach (var value in values)
            {
                size += value is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(value) - value.Length;
            }
        }
        return size;
    }

    private Task Forbid(HttpContext context, string message)
    {
        metrics.Rejected("admin_forbidden");
        return MatrixErrorResponse.WriteAsync(context, StatusCodes.Status403Forbidden, MatrixErrorResponse.Forbidden, message);
    }
}
