using System.Globalization;
using Matrix.Stack.Layout;
using Matrix.Stack.Model;

namespace Matrix.Stack.Wiring;

/// <summary>
/// How many connections the deployment's PostgreSQL must accept: every Synapse process's pool (<c>cp_max</c>), MAS's
/// pool when its database is on the same server, the media janitor's two pools, and the server's reserved and
/// operator connections. The stack's own PostgreSQL is started with <see cref="ServerMaxConnections"/>; an external
/// server's limit is given as <c>database.maxConnections</c> and checked against <see cref="Required"/>.
/// </summary>
public sealed record DatabaseCapacity(IReadOnlyList<(string Who, int Connections)> Users, int? Configured)
{
    /// <summary>MAS's pool (its <c>database.max_connections</c>, which the MAS config states).</summary>
    public const int MasConnections = 10;

    /// <summary>The janitor's pools: its Synapse database and its state (the same database by default), each bounded by the janitor.</summary>
    public const int MediaJanitorConnections = 2 * MediaJanitorPoolSize;

    /// <summary>Each of the janitor's two pools at most (its default offload parallelism, 8, plus its run lock and catalog reads).</summary>
    public const int MediaJanitorPoolSize = 10;

    /// <summary>PostgreSQL's <c>superuser_reserved_connections</c> (3) plus a few for an operator's psql and backups.</summary>
    public const int Reserved = 8;

    /// <summary>PostgreSQL's own default, kept as the least a sized server gets.</summary>
    public const int PostgresDefault = 100;

    public int Required => Users.Sum(u => u.Connections) + Reserved;

    /// <summary>What the stack's own PostgreSQL is started with (<c>-c max_connections=</c>).</summary>
    public int ServerMaxConnections => Configured ?? Math.Max(PostgresDefault, Required);

    public string Explain() =>
        string.Join(", ", Users.Select(u => string.Create(CultureInfo.InvariantCulture, $"{u.Who}: {u.Connections}")))
        + string.Create(CultureInfo.InvariantCulture, $", reserved: {Reserved}");

    /// <summary>The same with <paramref name="processes"/> Synapse processes more than the layout's (pods a scalable pool may add).</summary>
    public DatabaseCapacity WithMoreSynapseProcesses(int processes, int poolMax) =>
        processes == 0
            ? this
            : this with { Users = [.. Users, (string.Create(CultureInfo.InvariantCulture, $"{processes} more Synapse pod(s) of scalable pools × database.poolMax {poolMax}"), processes * poolMax)] };

    public static DatabaseCapacity Of(StackOptions options)
    {
        var layout = SynapseLayout.Create(options);
        var users = new List<(string, int)>
        {
            (string.Create(CultureInfo.InvariantCulture, $"{layout.Instances.Count} Synapse process(es) × database.poolMax {options.Database.PoolMax}"),
                layout.Instances.Count * options.Database.PoolMax),
        };
        if (options.Mas.Enabled && !options.Mas.HasExternalDatabase)
        {
            users.Add(("MAS", MasConnections));
        }
        if (options.S3.Enabled)
        {
            users.Add(("media janitor", MediaJanitorConnections));
        }
        return new DatabaseCapacity(users, options.Database.MaxConnections);
    }
}
