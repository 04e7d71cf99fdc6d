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
        // Idle connections to an instance that went away should not linger; new ones are cheap on a LAN.
        handler.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60);
    }
}
