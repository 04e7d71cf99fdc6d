using System.Net;
using System.Net.Sockets;

namespace Matrix.Tests.Stack.Components.Turn;

/// <summary>Free ports on a given loopback address (IPv4 or IPv6): one for a TCP+UDP listener, and a UDP relay range.</summary>
internal static class LoopbackPorts
{
    /// <summary>Whether the machine has <paramref name="address"/> (an IPv6-less container has no ::1).</summary>
    public static bool Available(IPAddress address)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(address, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static int TcpAndUdp(IPAddress address)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var tcp = new TcpListener(address, 0);
            tcp.Start();
            var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            if (UdpFree(address, port))
            {
                return port;
            }
        }
        throw new InvalidOperationException($"no port free for both TCP and UDP on {address}");
    }

    /// <summary>
    /// <paramref name="count"/> consecutive UDP ports, free right now, below the kernel's ephemeral range so other
    /// sockets are unlikely to take them before the server does.
    /// </summary>
    public static (int First, int Last) UdpRange(IPAddress address, int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var first = Random.Shared.Next(20_000, 32_000 - count);
            if (Enumerable.Range(first, count).All(port => UdpFree(address, port)))
            {
                return (first, first + count - 1);
            }
        }
        throw new InvalidOperationException($"no {count} consecutive free UDP ports on {address}");
    }

    /// <summary>Whether <paramref name="port"/> is free right now for both a TCP listener and a UDP socket.</summary>
    public static bool TcpAndUdpFree(IPAddress address, int port)
    {
        try
        {
            using var tcp = new TcpListener(address, port);
            tcp.Start();
        }
        catch (SocketException)
        {
            return false;
        }
        return UdpFree(address, port);
    }

    public static bool UdpRangeFree(IPAddress address, int first, int last) =>
        Enumerable.Range(first, last - first + 1).All(port => UdpFree(address, port));

    private static bool UdpFree(IPAddress address, int port)
    {
        try
        {
            using var udp = new UdpClient(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
