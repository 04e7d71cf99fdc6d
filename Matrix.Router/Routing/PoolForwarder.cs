using System.Diagnostics;
using System.Net;
using Matrix.Router.Balancing;
using Matrix.Router.Configuration;
using Matrix.Router.Telemetry;
using Matrix.Stack.Catalog;
using Matrix.Stack.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Matrix.Router.Routing;

/// <summary>
/// Sends a routed request to an instance of its pool (the matcher's decision), or of the decision's fallback pools
/// in order when the pool has no healthy instance with room; answers 503 with <c>Retry-After</c> when none can.
/// A failed connect takes the instance out and, if no byte of the body was read, sends the request once more to
/// another instance; so does a GET or HEAD whose connection broke before any of its answer reached the client. Any
/// other request that reached an instance is never sent twice.
/// </summary>
public sealed partial class PoolForwarder(
    RoutingTable table,
    AccessTokenUsers users,
    IHttpForwarder forwarder,
    HttpMessageInvoker client,
    RouterOptions options,
    RouterMetrics metrics,
    RejectionLog rejections,
    ILogger<PoolForwarder> logger)
{
    private const int MaxAttempts = 2;

    // Synapse speaks HTTP/1.1; streaming both ways (long-polls, uploads, downloads) with no buffering.
    private readonly ForwarderRequestConfig _config = new()
    {
        ActivityTimeout = options.Limits.ActivityTimeout,
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        AllowResponseBuffering = false,
    };

    public async Task ForwardAsync(HttpContext context, ForwardedRequest request, RequestBodyWatch? body)
    {
        var decision = request.Decision;
        var key = decision.Balance switch
        {
            BalancePolicy.AccessTokenUser => users.KeyFor(context.Request, request.Target.Query, decision.Pool, request.Client.Address),
            var sticky when sticky.IsSticky() => BalanceKey.For(sticky, context.Request, request.Target.Path, request.Target.Query, request.Client.Address),
            _ => 0UL,
        };

        PoolInstance? failed = null;
        for (var attempt = 1; ; attempt++)
        {
            var instance = Acquire(decision, key, failed);
            if (instance is null)
            {
                metrics.Unavailable(decision.Pool);
                await MatrixErrorResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, MatrixErrorResponse.Unknown,
                    $"No server is available for this request right now (pool '{decision.PoolName}'). Try again later.", options.RetryAfter);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            ForwarderError error;
            using (RouterActivity.StartForward(request, instance, attempt))
            {
                try
                {
                    error = await forwarder.SendAsync(context, instance.DestinationPrefix, client, _config, request);
                }
                finally
                {
                    instance.Exit();
                }
            }
            metrics.Forwarded(instance, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
            if (error == ForwarderError.None)
            {
                instance.Health.ReportForwarded();
                return;
            }

            var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            if (error == ForwarderError.RequestCreation)
            {
                // Nothing reached the instance: the request itself cannot be sent (the checks before forwarding should
                // have caught it). The client's mistake, not the instance's: 400, counted against nobody.
                context.Features.Set<IForwarderErrorFeature>(null);
                rejections.Rejected("unsendable");
                await MatrixErrorResponse.WriteAsync(context, StatusCodes.Status400BadRequest, MatrixErrorResponse.Unrecognized, "The request cannot be forwarded as sent.");
                return;
            }
            var kind = ForwardingFailure.Classify(error, exception);
            // A failure while the client was still sending its body, or after it went away, is the client's doing as far
            // as anyone can tell: Synapse aborts a body it will not take. Counting it would let any client take out
            // the instance of its choice (room id, forged federation origin, unrouted path) with a few large bodies.
            var clientGone = ClientDeparture.IsGone(context);
            var clientCaused = body?.InProgress == true || clientGone;
            if (clientGone || ForwardingFailure.IsClientSide(error))
            {
                // Clients abandon requests all the time (a closed app, a lost network): a count and a Debug line, no
                // more, or any client could fill the log.
                metrics.ClientAborted(instance);
                LogClientAborted(instance.PoolName, ForwardingFailure.Describe(error, exception));
            }
            if (ForwardingFailure.IsInstanceSide(error) && !clientCaused)
            {
                instance.CountFailure();
                metrics.Failed(instance, error);
                var takenOut = kind switch
                {
                    ForwardingFailureKind.ConnectFailed => instance.Health.ReportConnectFailure(ForwardingFailure.Describe(error, exception)),
                    ForwardingFailureKind.ConnectionReset => instance.Health.ReportTransportFailure(ForwardingFailure.Describe(error, exception)),
                    _ => false,
                };
                if (takenOut)
                {
                    LogTakenOut(instance.PoolName, instance.DestinationPrefix, instance.Health.LastProblem ?? ForwardingFailure.Describe(error, exception));
                }
            }

            // Nothing of the request reached the instance (no connection), or it is a GET/HEAD whose connection broke
            // before any byte of the answer reached the client (a killed worker under a /sync long-poll): send it once
            // more, elsewhere. Anything else that reached an instance is never sent twice.
            var canRetry = (kind == ForwardingFailureKind.ConnectFailed || (kind == ForwardingFailureKind.ConnectionReset && IsSafe(context.Request.Method)))
                && attempt < MaxAttempts
                && body?.Touched != true
                && !context.Response.HasStarted
                && !ClientDeparture.IsGone(context);
            if (canRetry)
            {
                context.Features.Set<IForwarderErrorFeature>(null);
                context.Response.Clear();
                failed = instance;
                continue;
            }

            if (body is not null)
            {
                await body.EndAsync();
                if (body.ClientGone)
                {
                    // Nobody is left to answer, and Kestrel must not drain a body its reader was left reading.
                    context.Abort();
                    return;
                }
            }
            if (!ClientDeparture.IsGone(context))
            {
                await WriteFailureAsync(context, decision);
            }
            return;
        }
    }

    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method);

    private PoolInstance? Acquire(RouteDecision decision, ulong key, PoolInstance? exclude)
    {
        if (table[decision.Pool] is { } pool && InstancePicker.Acquire(pool, decision.Balance, key, exclude) is { } chosen)
        {
            return chosen;
        }
        foreach (var fallback in decision.Fallbacks)
        {
            if (table[fallback] is { } fallbackPool && InstancePicker.Acquire(fallbackPool, decision.Balance, key, exclude) is { } instance)
            {
                metrics.Fallback(decision.Pool, fallback);
                return instance;
            }
        }
        return null;
    }

    // YARP has set the status (502, 504, 400, 413...) but no body: give it a Matrix error body.
    private static Task WriteFailureAsync(HttpContext context, RouteDecision decision)
    {
        var status = context.Response.StatusCode < 400 ? StatusCodes.Status502BadGateway : context.Response.StatusCode;
        var (errcode, message) = status switch
        {
            StatusCodes.Status413PayloadTooLarge => (MatrixErrorResponse.TooLarge, "The request body is too large."),
            StatusCodes.Status504GatewayTimeout => (MatrixErrorResponse.Unknown, $"The server (pool '{decision.PoolName}') did not answer in time."),
            < 500 => (MatrixErrorResponse.Unknown, "The request could not be read."),
            _ => (MatrixErrorResponse.Unknown, $"The server (pool '{decision.PoolName}') failed to answer."),
        };
        return MatrixErrorResponse.WriteAsync(context, status, errcode, message);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A {Pool} request was abandoned by its client: {Problem}")]
    private partial void LogClientAborted(string pool, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Pool} instance {Instance} taken out after forwarding failures: {Problem}")]
    private partial void LogTakenOut(string pool, string instance, string problem);
}
