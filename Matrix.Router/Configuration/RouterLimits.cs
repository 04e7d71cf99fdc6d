namespace Matrix.Router.Configuration;

/// <summary>Sizes and timeouts the router enforces on forwarded requests.</summary>
public sealed record RouterLimits
{
    public const long MiB = 1024 * 1024;

    /// <summary>Largest request body to the media repository (Synapse's <c>max_upload_size</c> should match).</summary>
    public long MaxUploadSize { get; init; } = 100 * MiB;

    /// <summary>Largest request body anywhere else (JSON APIs, federation transactions).</summary>
    public long MaxRequestBodySize { get; init; } = 16 * MiB;

    /// <summary>
    /// How long a forwarded request may make no progress (no bytes either way) before it is cancelled. Must exceed the
    /// longest <c>/sync</c> long-poll clients ask for (Element: 30 s; Matrix allows more), hence 120 s.
    /// </summary>
    public TimeSpan ActivityTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long to wait for a TCP connection to an instance before trying another.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Initial syncs in flight per <c>initial-synchrotron</c> instance; beyond it they go to the fallback pools.</summary>
    public int InitialSyncConcurrency { get; init; } = 4;
}
