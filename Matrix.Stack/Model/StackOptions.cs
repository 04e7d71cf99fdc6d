using Matrix.Stack.Catalog;

namespace Matrix.Stack.Model;

/// <summary>
/// One Matrix deployment: its names, the Synapse process layout and which components are on.
/// Start from a preset (<see cref="Presets.StackPresets"/>), adjust with settings, then validate
/// (<see cref="Validation.StackValidator"/>) before anything is rendered.
/// </summary>
public sealed class StackOptions
{
    /// <summary>The public domain in user IDs (<c>@alice:example.org</c>); it can never change later.</summary>
    public string ServerName { get; set; } = "matrix.localhost";

    /// <summary>Where clients reach the homeserver; defaults to <c>https://{ServerName}/</c>.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Where other servers reach it (delegated in <c>/.well-known/matrix/server</c>); defaults to port 443 of the public host.</summary>
    public string? FederationBaseUrl { get; set; }

    /// <summary>Instances per pool type. <c>main</c> is always exactly one.</summary>
    public SortedDictionary<PoolType, int> Workers { get; } = new() { [PoolType.Main] = 1 };

    public SynapseOptions Synapse { get; } = new();

    public DatabaseOptions Database { get; } = new();

    public RedisOptions Redis { get; } = new();

    public S3MediaOptions S3 { get; } = new();

    public LiveKitOptions LiveKit { get; } = new();

    public CoturnOptions Coturn { get; } = new();

    public ElementWebOptions ElementWeb { get; } = new();

    public SynapseAdminOptions SynapseAdmin { get; } = new();

    public MasOptions Mas { get; } = new();

    public int Count(PoolType pool) => Workers.GetValueOrDefault(pool);

    public bool Has(PoolType pool) => Count(pool) > 0;

    /// <summary>The client base URL with a trailing slash.</summary>
    public string EffectivePublicBaseUrl => WithTrailingSlash(PublicBaseUrl ?? $"https://{ServerName}/");

    /// <summary>Host and port other servers use, for <c>/.well-known/matrix/server</c>.</summary>
    public string EffectiveFederationAuthority
    {
        get
        {
            var url = new Uri(FederationBaseUrl ?? $"https://{new Uri(EffectivePublicBaseUrl).Host}:443");
            return $"{url.Host}:{url.Port}";
        }
    }

    private static string WithTrailingSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
