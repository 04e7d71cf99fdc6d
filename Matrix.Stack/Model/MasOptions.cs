namespace Matrix.Stack.Model;

/// <summary>
/// Matrix Authentication Service (MAS, Element's OAuth 2.0/OIDC provider): when on, MAS does every login and Synapse
/// delegates authentication to it through its stable <c>matrix_authentication_service</c> integration.
/// </summary>
public sealed class MasOptions
{
    public bool Enabled { get; set; }

    /// <summary>Where users' browsers and clients reach MAS (its OIDC issuer). Required when MAS is on; https outside local runs.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The host Synapse and the router reach MAS at inside the deployment.</summary>
    public string Host { get; set; } = "mas";

    /// <summary>MAS's web listener: discovery, OAuth, compatibility API, human pages, assets.</summary>
    public int HttpPort { get; set; } = 8080;

    /// <summary>MAS's internal listener with only <c>/health</c>, for probes.</summary>
    public int HealthPort { get; set; } = 8081;

    /// <summary>The URL MAS calls Synapse at; default: the first <c>mas-helper</c> worker when the layout has one, else main.</summary>
    public string? HomeserverEndpoint { get; set; }

    /// <summary>Whether users may register themselves with a password in MAS (always behind a registration token).</summary>
    public bool PasswordRegistration { get; set; }

    /// <summary>MAS's own database. Host null: the deployment's PostgreSQL server (<see cref="DatabaseOptions.Host"/>), with its user and password.</summary>
    public string? DatabaseHost { get; set; }

    public int? DatabasePort { get; set; }

    public string DatabaseName { get; set; } = "mas";

    /// <summary>User of an external MAS database; null: <see cref="DatabaseOptions.User"/>.</summary>
    public string? DatabaseUser { get; set; }

    /// <summary>Whether MAS uses a PostgreSQL server of its own (an external one) rather than the deployment's.</summary>
    public bool HasExternalDatabase => DatabaseHost is not null;

    /// <summary>Folder of MAS's config.yaml inside its container.</summary>
    public string ConfigDirectory { get; set; } = "/etc/mas";
}
