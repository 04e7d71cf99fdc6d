using System.Net.Sockets;
using System.Text;

namespace Matrix.Tests.Router.Support;

/// <summary>
/// Sends bytes exactly as given over a fresh TCP connection and reads the status code of the answer. The sending side
/// stays open: Kestrel takes a half-closed connection as an aborted request and answers nothing.
/// </summary>
public static class RawHttp
{
    /// <summary>The response status, or 0 when the connection closed without an answer.</summary>
    public static async Task<(int Status, string Head)> SendAsync(int port, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(request);
            await stream.FlushAsync();
        }
        catch (IOException)
        {
            // The server may answer and close before reading everything (an over-long request line).
        }

        var received = new MemoryStream();
        var buffer = new byte[8192];
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                var n = await stream.ReadAsync(buffer, limit.Token);
                if (n == 0)
                {
                    break;
                }
                received.Write(buffer, 0, n);
                if (Encoding.Latin1.GetString(received.ToArray()).Contains("\r\n\r\n"))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
        }
        var text = Encoding.Latin1.GetString(received.ToArray());
        var head = text.Split("\r\n\r\n")[0];
        var parts = head.Split(' ', 3);
        return (parts.Length > 1 && int.TryParse(parts[1], out var status) ? status : 0, head);
    }

    public static byte[] Bytes(string request) => Encoding.Latin1.GetBytes(request);
}
