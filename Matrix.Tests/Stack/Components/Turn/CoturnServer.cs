using System.Net;
using System.Net.Sockets;
using Matrix.Stack.Coturn;
using Matrix.Stack.Model;
using Matrix.Stack.Presets;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;
using Matrix.Tests.Infrastructure;

namespace Matrix.Tests.Stack.Components.Turn;

/// <summary>
/// A real <c>turnserver</c> (Debian's coturn) running the <c>turnserver.conf</c> Matrix.Stack generates. Only the
/// options a test needs change (listen address, free ports, relay range); <c>-c</c> names the file, so
/// <c>/etc/turnserver.conf</c> is never read, and <c>--pidfile</c> keeps the pid file out of /var/run.
/// </summary>
internal sealed class CoturnServer : IAsyncDisposable
{
    private const int RelayPorts = 16;

    private readonly ExternalProcess _process;
    private readonly string _directory;

    private CoturnServer(ExternalProcess process, string directory, StackOptions options, string configPath, string configText)
    {
        _process = process;
        _directory = directory;
        Options = options;
        ConfigPath = configPath;
        ConfigText = configText;
    }

    public StackOptions Options { get; }

    public string ConfigPath { get; }

    public string ConfigText { get; }

    public IPEndPoint EndPoint => new(IPAddress.Parse(Options.Coturn.ListenAddress), Options.Coturn.Port);

    public string Realm => CoturnEndpoints.Realm(Options);

    public string Output => _process.Output;

    public static async Task<CoturnServer> StartAsync(IPAddress listenAddress, string sharedSecret)
    {
        var turnserver = ExternalProcess.RequireExecutable("turnserver", "Debian package coturn");
        Assert.SkipUnless(LoopbackPorts.Available(listenAddress), $"this machine has no {listenAddress} loopback address.");

        var options = StackPresets.Create(StackPresets.Monolith);
        options.Coturn.ListenAddress = listenAddress.ToString();
        options.Coturn.Port = LoopbackPorts.TcpAndUdp(listenAddress);
        (options.Coturn.RelayPortMin, options.Coturn.RelayPortMax) = LoopbackPorts.UdpRange(listenAddress, RelayPorts);
        var secrets = new StackSecrets(SecretName.All.ToDictionary(
            name => name, name => name == SecretName.TurnSharedSecret ? sharedSecret : $"test-{name}"));
        var config = StackRenderer.Render(options, secrets).Single(f => f.Path == CoturnConfigRenderer.ConfigPath);

        var directory = Directory.CreateTempSubdirectory("matrix-coturn-").FullName;
        var configPath = Path.Combine(directory, "turnserver.conf");
        File.WriteAllText(configPath, config.Content);
        if (!OperatingSystem.IsWindows())
        {
            // The file holds the shared secret.
            File.SetUnixFileMode(configPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var process = ExternalProcess.Start(turnserver, ["-c", configPath, "--pidfile", Path.Combine(directory, "turnserver.pid")], directory);
        var server = new CoturnServer(process, directory, options, configPath, config.Content);
        try
        {
            await WaitForTcpAsync(server.EndPoint, process, TimeSpan.FromSeconds(30));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    // Readiness.WaitForTcpAsync knows only 127.0.0.1; this server may listen on ::1.
    private static async Task WaitForTcpAsync(IPEndPoint endPoint, ExternalProcess process, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"turnserver exited before listening on {endPoint}:\n{process.Output}");
            }
            try
            {
                using var client = new TcpClient(endPoint.AddressFamily);
                await client.ConnectAsync(endPoint);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"turnserver did not listen on {endPoint} within {limit}:\n{process.Output}");
    }
}
