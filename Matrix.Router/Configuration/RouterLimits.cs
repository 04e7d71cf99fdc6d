using System.ComponentModel;
using Matrix.ServiceDefaults.Configuration;

namespace Matrix.Router.Configuration;

/// <summary>Sizes and timeouts the router enforces on forwarded requests (<c>Router:Limits</c>).</summary>
public sealed class RouterLimits
{
    public const long MiB = 1024 * 1024;

    /// <summary>Largest request body to the media repository (Synapse's <c>max_upload_size</c> should match).</summary>
    [TypeConverter(typeof(ByteSizeConverter)), Description(ByteSizeConverter.Format)]
    public long MaxUploadSize { get; set; } = 100 * MiB;

    /// <summary>Largest request body anywhere else (JSON APIs, federation transactions).</summary>
    [TypeConverter(typeof(ByteSizeConverter)), Description(ByteSizeConverter.Format)]
    public long MaxRequestBodySize { get; set; } = 16 * MiB;

    /// <summary>
    /// How long a forwarded request may make no progress (no bytes either way) before it is cancelled. Must exceed the
    /// longest <c>/sync</c> long-poll clients ask for (Element: 30 s; Matrix allows more), hence 120 s.
    /// </summary>
    public Duration ActivityTimeout { get; set; } = Duration.FromSeconds(120);

    /// <summary>How long to wait for a TCP connection to an instance before trying another.</summary>
    public Duration ConnectTimeout { get; set; } = Duration.FromSeconds(5);

    /// <summary>Longest request line (Kestrel answers 414 beyond it).</summary>
    [TypeConverter(typeof(ByteSizeConverter)), Description(ByteSizeConverter.Format)]
    public long MaxRequestLineSize { get; set; } = 8 * 1024;

    /// <summary>
    /// Request line plus header lines (<c>Name: value</c>) as they will be forwarded; beyond it the router answers 431.
    /// Synapse's HTTP stack (Twisted) closes the connection without an answer once a request's lines exceed 16 KiB;
    /// 1 KiB is left for the headers the router adds (X-Forwarded-For, X-Forwarded-Proto, trace context).
    /// </summary>
    [TypeConverter(typeof(ByteSizeConverter)), Description(ByteSizeConverter.Format)]
    public long MaxRequestHeadSize { get; set; } = 15 * 1024;

    /// <summary>Client connections open at once: 20,000 users, each with a /sync long-poll and a second connection.</summary>
    public long MaxConnections { get; set; } = 40_000;

    public Duration KeepAliveTimeout { get; set; } = Duration.FromSeconds(130);

    public Duration RequestHeadersTimeout { get; set; } = Duration.FromSeconds(30);

    /// <summary>Bytes per second a request body must keep up after a 5 s grace period.</summary>
    public double MinRequestBodyDataRate { get; set; } = 240;

    /// <summary>Initial syncs in flight per <c>initial-synchrotron</c> instance; beyond it they go to the fallback pools.</summary>
    public int InitialSyncConcurrency { get; set; } = 4;
}
