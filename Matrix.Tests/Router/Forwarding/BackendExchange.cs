using System.Net.Sockets;
using System.Text;

namespace Matrix.Tests.Router.Forwarding;

/// <summary>The backend's side of one request: write exact bytes, then keep the connection, close it, or reset it.</summary>
public sealed class BackendExchange(BackendRequest request, Socket socket, NetworkStream stream, CancellationToken stopping)
{
    public BackendRequest Request { get; } = request;

    /// <summary>Set once the connection is closed or reset: the backend reads no more requests from it.</summary>
    public bool Ended { get; private set; }

    /// <summary>Writes <paramref name="bytes"/> (Latin-1, one byte per char) exactly as given.</summary>
    public async Task WriteAsync(string bytes)
    {
        await stream.WriteAsync(Encoding.Latin1.GetBytes(bytes), stopping);
        await stream.FlushAsync(stopping);
    }

    /// <summary>An orderly close (FIN) after what was written.</summary>
    public void Close()
    {
        Ended = true;
        socket.Shutdown(SocketShutdown.Send);
        socket.Close();
    }

    /// <summary>A reset (RST), as a crashed process's connections end.</summary>
    public void Reset()
    {
        Ended = true;
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    /// <summary>Answers nothing and waits until the router closes or resets the connection: true then.</summary>
    public async Task<bool> ClosedByRouterAsync()
    {
        try
        {
            return await stream.ReadAsync(new byte[1], stopping) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Accepts the request and never answers (until the backend is disposed).</summary>
    public Task NeverAnswerAsync() => Task.Delay(Timeout.Infinite, stopping);
}
