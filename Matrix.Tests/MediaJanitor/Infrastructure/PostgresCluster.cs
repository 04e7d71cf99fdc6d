using Matrix.Tests.Infrastructure;
using Npgsql;

namespace Matrix.Tests.MediaJanitor.Infrastructure;

/// <summary>
/// A private PostgreSQL 15 cluster in a temp folder owned by the <c>postgres</c> user (initdb and postgres refuse
/// root), listening on a free loopback port: trust authentication and UTF8 by default, or a password (scram) and
/// another server encoding for tests that need them. Stopped and deleted on dispose.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private readonly string _folder;
    private readonly ExternalProcess _server;

    private PostgresCluster(string folder, int port, string? password, ExternalProcess server)
    {
        _folder = folder;
        Port = port;
        Password = password;
        _server = server;
    }

    public int Port { get; }

    public const string User = "postgres";

    /// <summary>The superuser's password, or null with trust authentication.</summary>
    public string? Password { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={User};Database={database};Timeout=10;Command Timeout=60"
        + (Password is null ? "" : $";Password={Password}");

    /// <summary>Returns null with the reason when PostgreSQL 15 is not installed.</summary>
    /// <param name="withPassword">scram-sha-256 with a random superuser password instead of trust.</param>
    /// <param name="encoding">The cluster's encoding (template1's): UTF8 unless a test needs another.</param>
    /// <param name="serverArguments">More postgres arguments after the test defaults (a later <c>-c</c> wins).</param>
    public static async Task<(PostgresCluster? Cluster, string? SkipReason)> StartAsync(bool withPassword = false, string encoding = "UTF8", IReadOnlyList<string>? serverArguments = null)
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            return (null, $"PostgreSQL 15 is not installed ({BinDirectory}/initdb missing; .ci/run installs the 'postgresql' package).");
        }
        var folder = Path.Combine(Path.GetTempPath(), "janitor-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunToEndAsync("chown", ["postgres:postgres", folder]);
        }
        var data = Path.Combine(folder, "data");
        var password = withPassword ? Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)) : null;
        string[] authentication = ["-A", "trust"];
        if (password is not null)
        {
            var passwordFile = Path.Combine(folder, "pwfile");
            await File.WriteAllTextAsync(passwordFile, password);
            if (asRoot)
            {
                await RunToEndAsync("chown", ["postgres:postgres", passwordFile]);
            }
            authentication = ["-A", "scram-sha-256", "--pwfile", passwordFile];
        }
        await RunToEndAsync(Prefix(asRoot, "initdb"), Args(asRoot, "initdb", ["-D", data, "-U", User, .. authentication, "-E", encoding, "--locale=C", "--no-sync"]));
        var port = FreePort.Tcp();
        var server = ExternalProcess.Start(Prefix(asRoot, "postgres"), Args(asRoot, "postgres",
            ["-D", data, "-p", port.ToString(), "-k", folder, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
             "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300", .. serverArguments ?? []]));
        var cluster = new PostgresCluster(folder, port, password, server);
        try
        {
            await Readiness.WaitForTcpAsync(port, server, TimeSpan.FromSeconds(60));
            await WaitForQueriesAsync(cluster);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return (cluster, null);
    }

    /// <summary>A new database with the C collation Synapse requires.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        var asRoot = Environment.UserName == "root";
        try
        {
            await RunToEndAsync(Prefix(asRoot, "pg_ctl"), Args(asRoot, "pg_ctl", ["stop", "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w"]));
        }
        catch (InvalidOperationException)
        {
        }
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task WaitForQueriesAsync(PostgresCluster cluster)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(cluster.ConnectionString("postgres"));
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (attempt < 100)
            {
                // "the database system is starting up"
                await Task.Delay(100);
            }
        }
    }

    private static string Prefix(bool asRoot, string tool) => asRoot ? "/usr/sbin/runuser" : Path.Combine(BinDirectory, tool);

    private static IEnumerable<string> Args(bool asRoot, string tool, IEnumerable<string> args) =>
        asRoot ? ["-u", "postgres", "--", Path.Combine(BinDirectory, tool), .. args] : args;

    private static async Task RunToEndAsync(string file, IEnumerable<string> args)
    {
        await using var process = ExternalProcess.Start(file, args);
        var code = await process.WaitForExitAsync(TimeSpan.FromMinutes(2));
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {code}:\n{process.Output}");
        }
    }
}
