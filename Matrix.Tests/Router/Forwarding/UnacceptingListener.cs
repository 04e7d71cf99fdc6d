using System.Net;
using System.Net.Sockets;

namespace Matrix.Tests.Router.Forwarding;

/// <summary>
/// An instance that takes no connection, as a process too busy to accept: a loopback socket listening with a backlog
/// of one whose accept queue is filled by connections nobody accepts. Linux then drops every further SYN, so a connect
/// to it waits until the connector gives up.
/// </summary>
public sealed class UnacceptingListener : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _fillers = [];

    private UnacceptingListener()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}";

    public static async Task<UnacceptingListener> StartAsync()
    {
        var listener = new UnacceptingListener();
        // A backlog of one queues two connections; a third, whose SYN may already be dropped, is not waited for.
        for (var i = 0; i < 3; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener._fillers.Add(filler);
            var connect = filler.ConnectAsync(listener._listener.LocalEndPoint!);
            if (i < 2)
            {
                await connect.WaitAsync(TestContext.Current.CancellationToken);
            }
            else
            {
                // It fails when disposed; observed, so that its exception is not reported as unobserved.
                _ = connect.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            }
        }
        return listener;
    }

    public void Dispose()
    {
        foreach (var filler in _fillers)
        {
            filler.Dispose();
        }
        _listener.Dispose();
    }
}
