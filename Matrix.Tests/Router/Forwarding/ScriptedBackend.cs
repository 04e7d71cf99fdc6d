using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Matrix.Tests.Router.Forwarding;

/// <summary>
/// A scripted HTTP/1.1 peer on a free loopback port standing in for a Synapse process: it parses each request the
/// router sends (leniently, see <see cref="WireReader"/>), records it with every byte received on its connection, and
/// lets the test write the exact response bytes. A raw socket server, because Kestrel would normalise (or refuse to
/// write) the malformed, ambiguous and abrupt answers under test. <c>GET /health</c> (the router's probes) is answered
/// <c>200 OK</c> and kept out of the records; an <c>Expect: 100-continue</c> is answered <c>100 Continue</c>, as
/// Kestrel does.
/// </summary>
public sealed class ScriptedBackend : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<BackendExchange, Task> _respond;
    private readonly ConcurrentQueue<WireReader> _forwardingConnections = new();
    private readonly Task _accepting;

    private ScriptedBackend(Func<BackendExchange, Task> respond)
    {
        _respond = respond;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Every request received (probes excluded), in arrival order.</summary>
    public ConcurrentQueue<BackendRequest> Requests { get; } = new();

    /// <summary>Connections that carried at least one request other than a probe.</summary>
    public int ForwardingConnections => _forwardingConnections.Count;

    /// <summary>All bytes received on each connection that carried a forwarded request.</summary>
    public IEnumerable<string> Transcripts => _forwardingConnections.Select(c => c.Transcript);

    /// <summary>Starts answering every request with <paramref name="respond"/>.</summary>
    public static ScriptedBackend Start(Func<BackendExchange, Task> respond) => new(respond);

    private async Task AcceptAsync()
    {
        var number = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = ServeAsync(client, number++);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client, int connection)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var reader = new WireReader(stream);
                var carried = false;
                for (var sequence = 0; await reader.ReadHeadAsync(_stop.Token) is { } head;)
                {
                    if (head.Target == "/health")
                    {
                        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK"u8.ToArray(), _stop.Token);
                        continue;
                    }
                    if (!carried)
                    {
                        carried = true;
                        _forwardingConnections.Enqueue(reader);
                    }
                    if (head.Values("Expect").Any(v => v.Equals("100-continue", StringComparison.OrdinalIgnoreCase)))
                    {
                        await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), _stop.Token);
                    }
                    var body = await reader.ReadBodyAsync(head, bodiless: false, toEndWithoutLength: false, _stop.Token);
                    var request = new BackendRequest(head, body, connection, sequence++);
                    Requests.Enqueue(request);
                    var exchange = new BackendExchange(request, client.Client, stream, _stop.Token);
                    await _respond(exchange);
                    if (exchange.Ended)
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
