using System.Net.Http;
using Matrix.Router.Configuration;
using Matrix.Router.Transport;
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
        // Kestrel reads header values as ASCII, else UTF-8 (its fast default; other bytes get 400): encoding them as
        // UTF-8 again sends a UTF-8 User-Agent on byte for byte, where HttpClient's default refuses anything non-ASCII.
        handler.RequestHeaderEncodingSelector = static (_, _) => System.Text.Encoding.UTF8;
        handler.PooledConnectionIdleTimeout = Http1Forwarder.IdleTimeout;
    }
}
