using System.Diagnostics;
using Matrix.Router.Routing;

namespace Matrix.Router.Telemetry;

/// <summary>
/// The router's span around each forwarding attempt (source <see cref="SourceName"/>). It sits between ASP.NET Core's
/// server span and HttpClient's client span, whose <c>traceparent</c> carries the trace on to Synapse.
/// Tags name the pool, instance and route template, never the query (it may hold an access token).
/// </summary>
public static class RouterActivity
{
    public const string SourceName = "Matrix.Router";

    private static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartForward(ForwardedRequest request, PoolInstance instance, int attempt)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        var activity = Source.StartActivity("forward " + instance.PoolName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("matrix.pool", instance.PoolName);
            activity.SetTag("matrix.instance", instance.DestinationPrefix);
            activity.SetTag("matrix.route", request.Decision.Template ?? "(default)");
            activity.SetTag("matrix.attempt", attempt);
        }
        return activity;
    }
}
