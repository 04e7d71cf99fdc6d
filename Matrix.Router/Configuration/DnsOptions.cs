using Matrix.ServiceDefaults.Configuration;

namespace Matrix.Router.Configuration;

/// <summary>Re-resolution of destination host names (<c>Router:Dns</c>).</summary>
public sealed class DnsOptions
{
    /// <summary>How often host names among the destinations are resolved again (one instance per address); zero: never.</summary>
    public Duration RefreshInterval { get; set; } = Duration.FromSeconds(30);
}
