using System.Collections.Frozen;
using System.Diagnostics;
using Matrix.Router.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Matrix.Router.Transport;

/// <summary>How a forwarded request's body is framed on the way to the instance.</summary>
internal enum RequestBodyFraming
{
    None,
    ContentLength,
    Chunked,
}

/// <summary>
/// Writes the head of a forwarded request: the normalised target the matcher saw, the client's headers less the
/// hop-by-hop ones and the ones the router decides (Host as sent, X-Forwarded-For/-Proto, trace context), and the
/// body's framing. The hop-by-hop headers YARP's forwarder drops are dropped here too.
/// </summary>
internal static class RequestHead
{
    // Hop-by-hop headers, framing (set from what is forwarded), Expect (Kestrel answers the client's 100-continue itself
    // when the body is read), and the forwarding headers the router sets.
    private static readonly FrozenSet<string> NotForwarded =
        HopByHopHeaders.Names.Concat([HeaderNames.Host, HeaderNames.ContentLength, HeaderNames.Expect, .. ForwardedRequest.ForwardingHeaders])
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    // Replaced by the router's own when it traces the request, as the propagator YARP installs does.
    private static readonly FrozenSet<string> TraceContext = DistributedContextPropagator.Current.Fields.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static RequestBodyFraming FramingOf(HttpRequest request, bool hasBody) => request.ContentLength switch
    {
        not null => RequestBodyFraming.ContentLength,
        null when hasBody => RequestBodyFraming.Chunked,
        _ => RequestBodyFraming.None,
    };

    public static void Write(HeadBuilder head, HttpContext context, ForwardedRequest forwarded, BackendEndpoint endpoint, RequestBodyFraming framing)
    {
        var request = context.Request;
        head.Append(request.Method);
        head.Append(" "u8);
        head.Append(forwarded.Target.Value);
        head.Append(" HTTP/1.1\r\nHost: "u8);
        // As the client sent it (checked by HostHeader before forwarding); HttpRequest.Host would decode Punycode.
        var host = request.Headers.Host.ToString();
        head.Append(host.Length > 0 ? host : endpoint.Authority);
        head.Append("\r\n"u8);

        var activity = Activity.Current;
        foreach (var (name, values) in request.Headers)
        {
            if (NotForwarded.Contains(name) || (activity is not null && TraceContext.Contains(name)))
            {
                continue;
            }
            foreach (var value in values)
            {
                head.AppendHeader(name, value ?? "");
            }
        }
        head.AppendHeader("X-Forwarded-For", forwarded.Client.Address.ToString());
        head.AppendHeader("X-Forwarded-Proto", forwarded.Client.Scheme);
        if (activity is not null)
        {
            DistributedContextPropagator.Current.Inject(activity, head, static (carrier, name, value) =>
            {
                if (value is not null)
                {
                    ((HeadBuilder)carrier!).AppendHeader(name, value);
                }
            });
        }
        switch (framing)
        {
            case RequestBodyFraming.ContentLength:
                head.AppendHeader(HeaderNames.ContentLength, request.ContentLength!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case RequestBodyFraming.Chunked:
                head.Append("Transfer-Encoding: chunked\r\n"u8);
                break;
            case RequestBodyFraming.None when HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method):
                // As HttpClient did: a POST or PUT with no body says so.
                head.Append("Content-Length: 0\r\n"u8);
                break;
        }
        head.Append("\r\n"u8);
    }
}
