using System.Net;
using System.Net.Sockets;

namespace Matrix.Tests.Infrastructure;

/// <summary>Free loopback ports for servers the tests start.</summary>
public static class FreePort
{
    public static int Tcp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A port free for both TCP and UDP (TURN listens on both).</summary>
    public static int TcpAndUdp()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = Tcp();
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("no port free for both TCP and UDP on loopback");
    }
}
