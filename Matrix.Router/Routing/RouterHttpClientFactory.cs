using System.Net.Http;
using Matrix.Router.Configuration;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Matrix.Router.Routing;

/// <summary>
/// The one connection pool to every instance. YARP's factory already disables proxies, redirects, cookies and
/// decompression and propagates trace context; this adds the router's connect timeout.
/// </summary>
public sealed class RouterHttpClientFactory(RouterOptions options) : ForwarderHttpClientFactory
{
    public HttpMessageInvoker Create() => CreateClient(new ForwarderHttpClientContext { NewConfig = HttpClientConfig.Empty });

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectTimeout = options.Limits.ConnectTimeout;
        // Bytes >= 0x80 in header values (a UTF-8 User-Agent) go out as they came in; Kestrel decodes them as Latin-1.
        handler.RequestHeaderEncodingSelector = static (_, _) => System.Text.Encoding.Latin1;
        handler.ResponseHeaderEncodingSelector = static (_, _) => System.Text.Encoding.Latin1;
        // Idle connections to an instance that went away should not linger; new ones are cheap on a LAN.
        handler.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60);
    }
}
