namespace Matrix.Stack.Model;

/// <summary>Synapse's PostgreSQL database (psycopg2). The password is a secret (<c>postgres_password</c>).</summary>
public sealed class DatabaseOptions
{
    public string Host { get; set; } = "postgres";

    public int Port { get; set; } = 5432;

    public string Name { get; set; } = "synapse";

    public string User { get; set; } = "synapse";

    /// <summary>Connection pool size per process (Synapse's <c>cp_min</c>/<c>cp_max</c>).</summary>
    public int PoolMin { get; set; } = 5;

    public int PoolMax { get; set; } = 10;

    /// <summary>
    /// The most connections the server accepts. Null: sized from the layout (<see cref="Wiring.DatabaseCapacity"/>),
    /// which the stack's own PostgreSQL is started with. Set it to an external server's <c>max_connections</c>, and a
    /// layout that needs more is refused.
    /// </summary>
    public int? MaxConnections { get; set; }
}
