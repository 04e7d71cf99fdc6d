using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace JanitorBench;

/// <summary>
/// A TCP relay that delays every chunk by a fixed one-way latency in each direction, without limiting bandwidth
/// (chunks are pipelined, each released at arrival + delay): loopback made to behave like a network hop.
/// </summary>
public static class LatencyProxy
{
    public static async Task<int> RunAsync(Arguments args)
    {
        var delay = TimeSpan.FromMilliseconds(args.Int("delay-ms", 1));
        var targetPort = args.Int("target-port", 0);
        var listener = new TcpListener(IPAddress.Loopback, args.Int("listen-port", 0));
        listener.Start();
        Console.WriteLine($"LATENCY-PROXY listening on {((IPEndPoint)listener.LocalEndpoint).Port}, {delay.TotalMilliseconds} ms each way");
        while (true)
        {
            var client = await listener.AcceptTcpClientAsync();
            _ = Task.Run(async () =>
            {
                using var c = client;
                using var server = new TcpClient();
                await server.ConnectAsync(IPAddress.Loopback, targetPort);
                c.NoDelay = server.NoDelay = true;
                await Task.WhenAny(Relay(c.GetStream(), server.GetStream(), delay), Relay(server.GetStream(), c.GetStream(), delay));
            });
        }
    }

    private static async Task Relay(NetworkStream from, NetworkStream to, TimeSpan delay)
    {
        var queue = Channel.CreateUnbounded<(byte[] Data, int Length, long Due)>();
        var writer = Task.Run(async () =>
        {
            await foreach (var (data, length, due) in queue.Reader.ReadAllAsync())
            {
                var wait = due - Environment.TickCount64;
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wait));
                }
                await to.WriteAsync(data.AsMemory(0, length));
            }
        });
        try
        {
            while (true)
            {
                var buffer = new byte[64 * 1024];
                var read = await from.ReadAsync(buffer);
                if (read == 0)
                {
                    break;
                }
                queue.Writer.TryWrite((buffer, read, Environment.TickCount64 + (long)delay.TotalMilliseconds));
            }
        }
        catch (IOException)
        {
        }
        queue.Writer.TryComplete();
        try
        {
            await writer;
        }
        catch (IOException)
        {
        }
    }
}
