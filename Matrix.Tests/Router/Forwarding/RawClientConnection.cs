using System.Net.Sockets;
using System.Text;

namespace Matrix.Tests.Router.Forwarding;

/// <summary>
/// A client connection to the router that sends bytes exactly as given and reads answers off the wire, so a test sees
/// the framing the router chose (not what HttpClient makes of it). Every read is bounded by a generous limit, so a
/// router that waits for bytes that never come fails the test with a report instead of hanging it; nothing is timed.
/// </summary>
public sealed class RawClientConnection : IAsyncDisposable
{
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(60);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly WireReader _reader;

    private RawClientConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = new WireReader(_stream);
    }

    /// <summary>Everything the router sent on this connection so far, Latin-1.</summary>
    public string Transcript => _reader.Transcript;

    public static async Task<RawClientConnection> OpenAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", port);
        return new RawClientConnection(client);
    }

    public async Task SendAsync(string bytes)
    {
        await _stream.WriteAsync(Encoding.Latin1.GetBytes(bytes));
        await _stream.FlushAsync();
    }

    /// <summary>The next head, interim (1xx) or final; null when the router closed the connection.</summary>
    public async Task<WireHead?> ReadHeadAsync()
    {
        using var limit = Limit();
        try
        {
            return await _reader.ReadHeadAsync(limit.Token);
        }
        catch (OperationCanceledException e) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer from the router within {ReadLimit.TotalSeconds} s; received so far:\n{Transcript}", e);
        }
    }

    /// <summary>
    /// The answer to a request of <paramref name="method"/>: the interim 1xx heads before it, the final head, and its
    /// body read by the framing the router chose (none for HEAD, 204 and 304). Null when the connection closed first.
    /// </summary>
    public async Task<WireResponse?> ReadResponseAsync(string method = "GET")
    {
        var interim = new List<WireHead>();
        while (await ReadHeadAsync() is { } head)
        {
            if (head.Status is >= 100 and < 200)
            {
                interim.Add(head);
                continue;
            }
            var bodiless = method == "HEAD" || head.Status is 204 or 304;
            using var limit = Limit();
            var body = await _reader.ReadBodyAsync(head, bodiless, toEndWithoutLength: true, limit.Token);
            return new WireResponse(interim, head, body);
        }
        return null;
    }

    /// <summary>Every answer until the router closes the connection (after a <c>Connection: close</c> request or an error).</summary>
    public async Task<List<WireResponse>> ReadResponsesUntilClosedAsync()
    {
        var responses = new List<WireResponse>();
        try
        {
            while (await ReadResponseAsync() is { } response)
            {
                responses.Add(response);
            }
        }
        catch (IOException)
        {
            // A reset after the last answer (Kestrel aborts a connection it will not read further) ends it too.
        }
        return responses;
    }

    private static CancellationTokenSource Limit()
    {
        var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(ReadLimit);
        return limit;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
