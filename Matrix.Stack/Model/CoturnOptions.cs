namespace Matrix.Stack.Model;

/// <summary>coturn TURN relay with Synapse's shared-secret (time-limited credentials) auth.</summary>
public sealed class CoturnOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Host name clients use in <c>turn_uris</c>; defaults to <c>turn.{ServerName}</c>.</summary>
    public string? PublicHost { get; set; }

    /// <summary>TURN realm; defaults to <see cref="PublicHost"/>.</summary>
    public string? Realm { get; set; }

    /// <summary>Address coturn listens on.</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    public int Port { get; set; } = 3478;

    public int RelayPortMin { get; set; } = 49160;

    public int RelayPortMax { get; set; } = 49200;

    /// <summary>How long a TURN credential Synapse hands out stays valid (Synapse duration).</summary>
    public string UserLifetime { get; set; } = "1h";
}
