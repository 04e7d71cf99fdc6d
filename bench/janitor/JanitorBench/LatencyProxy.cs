using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace JanitorBench;

/// <summary>
/// A TCP relay that delays every chunk by a fixed one-way latency in each direction, without limiting bandwidth
/// (chunks are pipelined, each released at arrival + delay): loopback made to behave like a network hop. With
/// <c>--counts-file</c> it also counts the bytes relayed each way (at delay 0: a pure byte counter) and rewrites that
/// file every 100 ms as <c>sent=N received=M</c> (sent: client to server).
/// </summary>
public static class LatencyProxy
{
    private static long s_sent;
    private static long s_received;

    public static async Task<int> RunAsync(Arguments args)
    {
        var delay = TimeSpan.FromMilliseconds(args.Int("delay-ms", 1));
        if (args.Optional("counts-file") is { } countsFile)
        {
            _ = Task.Run(() => WriteCountsAsync(countsFile));
        }
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
                await Task.WhenAny(Relay(c.GetStream(), server.GetStream(), delay, toServer: true), Relay(server.GetStream(), c.GetStream(), delay, toServer: false));
            });
        }
    }

    private static async Task WriteCountsAsync(string path)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await timer.WaitForNextTickAsync())
        {
            // Written beside and renamed, so a reader never sees half a line.
            await File.WriteAllTextAsync(path + ".tmp", $"sent={Interlocked.Read(ref s_sent)} received={Interlocked.Read(ref s_received)}\n");
            File.Move(path + ".tmp", path, overwrite: true);
        }
    }

    private static async Task Relay(NetworkStream from, NetworkStream to, TimeSpan delay, bool toServer)
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
                Interlocked.Add(ref toServer ? ref s_sent : ref s_received, read);
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
