using System.Net.Sockets;

namespace Matrix.Tests.Infrastructure;

/// <summary>Waits for servers the tests started to accept connections (a bound on waiting, never an assertion on speed).</summary>
public static class Readiness
{
    public static Task WaitForTcpAsync(int port, ExternalProcess process, TimeSpan limit) => WaitForTcpAsync("127.0.0.1", port, process, limit);

    public static async Task WaitForTcpAsync(string address, int port, ExternalProcess process, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"process exited before listening on {port}:\n{process.Output}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(address, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"nothing listened on {address}:{port} within {limit}:\n{process.Output}");
    }
}
