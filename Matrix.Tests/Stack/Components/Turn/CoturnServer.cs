using System.Net;
using System.Net.Sockets;
using Matrix.Stack.Coturn;
using Matrix.Stack.LaunchScripts;
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

    /// <summary>The file given to turnserver, or to its launch script (then without the shared secret).</summary>
    public string ConfigPath { get; }

    /// <summary>The complete turnserver.conf of this server, shared secret included.</summary>
    public string ConfigText { get; }

    public IPEndPoint EndPoint => new(IPAddress.Parse(Options.Coturn.ListenAddress), Options.Coturn.Port);

    public string Realm => CoturnEndpoints.Realm(Options);

    public string Output => _process.Output;

    /// <summary>turnserver started directly on the complete file <c>render</c> writes for one host.</summary>
    public static Task<CoturnServer> StartAsync(IPAddress listenAddress, string sharedSecret) =>
        StartAsync(listenAddress, sharedSecret, throughLaunchScript: false);

    /// <summary>
    /// turnserver started as a container starts it: <see cref="CoturnContainerCommand"/>'s script under /bin/sh, given
    /// the secret-free configuration and the one-value secret file, in folders laid out like the container's.
    /// </summary>
    public static Task<CoturnServer> StartThroughLaunchScriptAsync(IPAddress listenAddress, string sharedSecret) =>
        StartAsync(listenAddress, sharedSecret, throughLaunchScript: true);

    private static async Task<CoturnServer> StartAsync(IPAddress listenAddress, string sharedSecret, bool throughLaunchScript)
    {
        var turnserver = ExternalProcess.RequireExecutable("turnserver", "Debian package coturn");
        Assert.SkipUnless(LoopbackPorts.Available(listenAddress), $"this machine has no {listenAddress} loopback address.");

        var directory = Directory.CreateTempSubdirectory("matrix-coturn-").FullName;
        var options = StackPresets.Create(StackPresets.Monolith);
        options.Coturn.ListenAddress = listenAddress.ToString();
        options.Coturn.Port = LoopbackPorts.TcpAndUdp(listenAddress);
        (options.Coturn.RelayPortMin, options.Coturn.RelayPortMax) = LoopbackPorts.UdpRange(listenAddress, RelayPorts);
        options.Synapse.SecretsDirectory = Path.Combine(directory, "secrets");
        var secrets = new StackSecrets(SecretName.All.ToDictionary(
            name => name, name => name == SecretName.TurnSharedSecret ? sharedSecret : name == SecretName.SigningKey ? TestSigningKey.Value : $"test-{name}"));
        var config = StackRenderer.Render(options, secrets).Single(f => f.Path == CoturnConfigRenderer.ConfigPath);
        var pidFile = Path.Combine(directory, "turnserver.pid");

        ExternalProcess process;
        string configPath;
        if (throughLaunchScript)
        {
            var command = CoturnContainerCommand.For(options, Path.Combine(directory, "etc-coturn"));
            configPath = command.ConfigPath;
            Directory.CreateDirectory(Path.GetDirectoryName(configPath)!);
            File.WriteAllText(configPath, StackRenderer.RenderConfiguration(options).Single(f => f.Path == CoturnConfigRenderer.ConfigPath).Content);
            Directory.CreateDirectory(command.SecretsDirectory);
            WritePrivate(Path.Combine(command.SecretsDirectory, SecretName.TurnSharedSecret), sharedSecret);
            var temporary = Path.Combine(directory, "tmp");
            Directory.CreateDirectory(temporary);
            process = ExternalProcess.Start(command.Entrypoint, command.ArgumentsWith("--pidfile", pidFile), directory, new Dictionary<string, string>
            {
                ["PATH"] = $"{Path.GetDirectoryName(turnserver)}:/usr/local/bin:/usr/bin:/bin",
                ["TMPDIR"] = temporary,
            });
        }
        else
        {
            configPath = Path.Combine(directory, "turnserver.conf");
            // The file holds the shared secret.
            WritePrivate(configPath, config.Content);
            process = ExternalProcess.Start(turnserver, ["-c", configPath, "--pidfile", pidFile], directory);
        }

        var server = new CoturnServer(process, directory, options, configPath, config.Content);
        try
        {
            await WaitForTcpAsync(server.EndPoint, process, TimeSpan.FromSeconds(30));
            await WaitForUdpAsync(server.EndPoint, process);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>The process's command line as every local user can read it (<c>/proc/PID/cmdline</c>), or null off Linux.</summary>
    public string? CommandLine =>
        File.Exists($"/proc/{_process.Id}/cmdline") ? File.ReadAllText($"/proc/{_process.Id}/cmdline").Replace('\0', ' ') : null;

    private static void WritePrivate(string path, string content)
    {
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    // turnserver listens on TCP before UDP: a test's first datagram must not meet a port nobody binds yet.
    private static async Task WaitForUdpAsync(IPEndPoint endPoint, ExternalProcess process)
    {
        using var client = new TurnClient(endPoint);
        try
        {
            await client.BindAsync();
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"turnserver listens on TCP {endPoint} but answers no STUN Binding on UDP ({e.Message}); exited: {process.HasExited}:\n{process.Output}");
        }
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
