using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Matrix.AppHost.Tests.Kubernetes;

/// <summary>
/// A private PostgreSQL 15 server in a temp folder, on a free loopback port, with password (scram) authentication and
/// template1 in SQL_ASCII, so a database created without <c>TEMPLATE template0</c> could not be UTF8. Run as the
/// <c>postgres</c> user when the tests run as root (initdb and postgres refuse root). Stopped and deleted on dispose.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private readonly string _folder;
    private readonly Process _server;

    private LocalPostgres(string folder, int port, string password, Process server)
    {
        _folder = folder;
        Port = port;
        Password = password;
        _server = server;
    }

    public int Port { get; }

    public string User => "postgres";

    public string Password { get; }

    public static bool IsInstalled => File.Exists(Path.Combine(BinDirectory, "initdb"));

    public static async Task<LocalPostgres> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("matrix-k8s-pg-").FullName;
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var passwordFile = Path.Combine(folder, "pwfile");
        await File.WriteAllTextAsync(passwordFile, password);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", "-R", "postgres:postgres", folder);
        }
        var data = Path.Combine(folder, "data");
        await RunAsync(Tool(asRoot, "initdb"), [.. ToolArgs(asRoot, "initdb"), "-D", data, "-U", "postgres", "-A", "scram-sha-256", "--pwfile", passwordFile, "-E", "SQL_ASCII", "--locale=C", "--no-sync"]);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var start = new ProcessStartInfo(Tool(asRoot, "postgres")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[.. ToolArgs(asRoot, "postgres"), "-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", folder, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
        {
            start.ArgumentList.Add(argument);
        }
        var server = Process.Start(start) ?? throw new InvalidOperationException("postgres did not start");
        // Drained so the server never blocks on a full pipe.
        _ = server.StandardOutput.ReadToEndAsync();
        _ = server.StandardError.ReadToEndAsync();
        return new LocalPostgres(folder, port, password, server);
    }

    public async ValueTask DisposeAsync()
    {
        var asRoot = Environment.UserName == "root";
        await ExternalCommand.RunAsync(Tool(asRoot, "pg_ctl"), [.. ToolArgs(asRoot, "pg_ctl"), "stop", "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w"]);
        if (!_server.HasExited)
        {
            _server.Kill();
        }
        await _server.WaitForExitAsync();
        _server.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static string Tool(bool asRoot, string tool) => asRoot ? "/usr/sbin/runuser" : Path.Combine(BinDirectory, tool);

    private static string[] ToolArgs(bool asRoot, string tool) => asRoot ? ["-u", "postgres", "--", Path.Combine(BinDirectory, tool)] : [];

    private static async Task RunAsync(string fileName, params string[] arguments)
    {
        var result = await ExternalCommand.RunAsync(fileName, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Error}");
        }
    }
}
