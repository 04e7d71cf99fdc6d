using System.Diagnostics;
using System.Net;
using Matrix.Tests.Infrastructure;

namespace Matrix.Tests.Router.Support;

/// <summary>
/// Debian's dnsmasq answering for one name with the addresses a test sets and changes while it runs, as cluster DNS
/// publishes a headless service's ready pods (the name is its zone: other record types get an empty answer). It reads nothing of the system's (no /etc/dnsmasq.conf, /etc/hosts or
/// /etc/resolv.conf), forwards nothing, listens on 127.0.0.1 only on a free port, answers with TTL 0, drops root when
/// started as root, and is killed on dispose.
/// </summary>
public sealed class DnsmasqServer : IAsyncDisposable
{
    private readonly ExternalProcess _process;
    private readonly DirectoryInfo _directory;
    private readonly string _name;

    private DnsmasqServer(ExternalProcess process, DirectoryInfo directory, string name, int port)
    {
        _process = process;
        _directory = directory;
        _name = name;
        Port = port;
    }

    public int Port { get; }

    /// <summary>For <c>Router:Dns:NameServer</c>.</summary>
    public string NameServer => $"127.0.0.1:{Port}";

    /// <summary>Everything dnsmasq printed, for failure messages.</summary>
    public string Output => _process.Output;

    private static string HostsFile(DirectoryInfo directory) => Path.Combine(directory.FullName, "hosts");

    public static async Task<DnsmasqServer> StartAsync(string name, IEnumerable<IPAddress> addresses)
    {
        var dnsmasq = ExternalProcess.RequireExecutable("dnsmasq", "Debian package dnsmasq-base");
        var directory = Directory.CreateTempSubdirectory("matrix-dnsmasq-");
        MakeReadableByAll(directory.FullName, UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        WriteHostsFile(directory, name, addresses);
        var port = FreePort.TcpAndUdp();
        var server = new DnsmasqServer(ExternalProcess.Start(dnsmasq,
        [
            "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll",
            $"--port={port}", "--listen-address=127.0.0.1", "--bind-interfaces",
            $"--addn-hosts={HostsFile(directory)}", "--local-ttl=0",
            // Answered here alone, as cluster DNS answers for its zone: AAAA gets an empty answer, not REFUSED.
            $"--local=/{name}/",
            $"--pid-file={Path.Combine(directory.FullName, "dnsmasq.pid")}", "--user=nobody", "--log-facility=-",
        ]), directory, name, port);
        try
        {
            await Readiness.WaitForTcpAsync(port, server._process, TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Publishes <paramref name="addresses"/> for the name instead of the previous ones (dnsmasq re-reads on SIGHUP).</summary>
    public async Task SetAddressesAsync(IEnumerable<IPAddress> addresses)
    {
        WriteHostsFile(_directory, _name, addresses);
        using var signal = Process.Start("kill", ["-HUP", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await signal.WaitForExitAsync();
        Assert.True(signal.ExitCode == 0, $"kill -HUP dnsmasq exited with {signal.ExitCode}:\n{Output}");
    }

    // Written aside and renamed, so a reload never reads half a file.
    private static void WriteHostsFile(DirectoryInfo directory, string name, IEnumerable<IPAddress> addresses)
    {
        var next = HostsFile(directory) + ".next";
        File.WriteAllLines(next, addresses.Select(a => $"{a} {name}"));
        MakeReadableByAll(next, UnixFileMode.UserWrite);
        File.Move(next, HostsFile(directory), overwrite: true);
    }

    // dnsmasq drops root to nobody, who must still read the hosts file when it re-reads it on SIGHUP.
    private static void MakeReadableByAll(string path, UnixFileMode more)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead | more);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _directory.Delete(recursive: true);
    }
}
