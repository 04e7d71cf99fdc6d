using System.ComponentModel;
using Matrix.ServiceDefaults.Configuration;

namespace Matrix.Router.Configuration;

/// <summary>Sizes and timeouts the router enforces on forwarded requests (<c>Router:Limits</c>).</summary>
public sealed class RouterLimits
{
    public const long MiB = 1024 * 1024;

    /// <summary>
    /// The largest body a Synapse process that does not load the media repository reads: <c>200 * MAX_PDU_SIZE</c>
    /// (a full federation transaction), in Synapse's <c>synapse/app/_base.py</c> <c>max_request_body_size</c>. Past it
    /// Twisted aborts the connection (a reset) while the body is still arriving.
    /// </summary>
    public const long SynapseRequestBodyLimit = 200 * 65536;

    /// <summary>
    /// Synapse's <c>max_upload_size</c> (Matrix.Stack: <c>synapse.maxUploadSize</c>); Synapse's default is 50M. A process
    /// that loads the media repository reads bodies up to the larger of this and <see cref="SynapseRequestBodyLimit"/>.
    /// </summary>
    [TypeConverter(typeof(ByteSizeConverter)), Description(ByteSizeConverter.Format)]
    public long MaxUploadSize { get; set; } = 50 * MiB;

    /// <summary>
    /// Largest request body to every process that does not load the media repository (JSON APIs, federation
    /// transactions). At most <see cref="SynapseRequestBodyLimit"/>, which is what those processes accept.
    /// </summary>
    [TypeConverter(typeof(ByteSizeConverter)), Description(ByteSizeConverter.Format)]
    public long MaxRequestBodySize { get; set; } = SynapseRequestBodyLimit;

    /// <summary>What a process that loads the media repository accepts (Synapse: max(200 × 64 KiB, max_upload_size)).</summary>
    public long MediaRequestBodySize() => Math.Max(SynapseRequestBodyLimit, MaxUploadSize);

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
