using System.Collections.Concurrent;
using System.Net;
using Matrix.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Logging;

namespace Matrix.Tests.MediaJanitor.Infrastructure;

/// <summary>What the proxy does to matching requests.</summary>
public enum S3Fault
{
    /// <summary>Flip bytes in the uploaded body: s3rver stores different bytes than were sent.</summary>
    CorruptUpload,

    /// <summary>Forward only the first half of the uploaded body: s3rver stores a partial object.</summary>
    TruncateUpload,

    /// <summary>Answer 500 InternalError without forwarding.</summary>
    InternalError,

    /// <summary>Flip bytes in downloaded bodies (what a read-back verification sees).</summary>
    CorruptDownload,

    /// <summary>Wait before forwarding (slows a run down so a test can act during it).</summary>
    Delay,
}

/// <summary>
/// A real Kestrel reverse proxy in front of s3rver that injects faults into chosen requests: the janitor talks to it
/// as to any S3 endpoint, and the faulty bytes really end up stored in (or read from) s3rver.
/// </summary>
public sealed class FaultyS3Proxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private readonly ConcurrentDictionary<string, (S3Fault Fault, string Method, string KeyContains, int DelayMs)> _rules = new();
    private readonly ConcurrentQueue<(string Method, string Path)> _requests = new();
    private int _hits;

    private FaultyS3Proxy(WebApplication app, int port, string upstream)
    {
        _app = app;
        Port = port;
        Upstream = upstream;
    }

    public int Port { get; }

    public string Upstream { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>How many requests a fault was applied to.</summary>
    public int Hits => Volatile.Read(ref _hits);

    public static async Task<FaultyS3Proxy> StartAsync(string upstream)
    {
        var port = FreePort.Tcp();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var proxy = new FaultyS3Proxy(app, port, upstream);
        app.Run(proxy.ForwardAsync);
        await app.StartAsync();
        return proxy;
    }

    /// <summary>Applies <paramref name="fault"/> to requests of <paramref name="method"/> whose path contains <paramref name="keyContains"/>.</summary>
    public void Add(S3Fault fault, string method, string keyContains = "", int delayMs = 0) =>
        _rules[$"{fault}:{method}:{keyContains}"] = (fault, method, keyContains, delayMs);

    public void Clear() => _rules.Clear();

    /// <summary>How many <paramref name="method"/> requests whose (unescaped) path ends with <paramref name="keySuffix"/> the proxy forwarded or answered.</summary>
    public int CountRequests(string method, string keySuffix) =>
        _requests.Count(r => r.Method == method && r.Path.EndsWith(keySuffix, StringComparison.Ordinal));

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        var pathAndQuery = request.GetEncodedPathAndQuery();
        _requests.Enqueue((request.Method, Uri.UnescapeDataString(request.Path.Value ?? "")));
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var rules = _rules.Values.Where(r => r.Method == request.Method && Uri.UnescapeDataString(request.Path.Value ?? "").Contains(r.KeyContains, StringComparison.Ordinal)).ToList();
        var isObjectWrite = request.Method == "PUT" && body.Length > 0;
        foreach (var rule in rules)
        {
            switch (rule.Fault)
            {
                case S3Fault.Delay:
                    await Task.Delay(rule.DelayMs);
                    break;
                case S3Fault.InternalError:
                    Interlocked.Increment(ref _hits);
                    context.Response.StatusCode = 500;
                    context.Response.ContentType = "application/xml";
                    await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InternalError</Code><Message>injected by the test proxy</Message></Error>");
                    return;
                case S3Fault.CorruptUpload when isObjectWrite:
                    Interlocked.Increment(ref _hits);
                    for (var i = 0; i < body.Length; i += 997)
                    {
                        body[i] ^= 0x5A;
                    }
                    break;
                case S3Fault.TruncateUpload when isObjectWrite:
                    Interlocked.Increment(ref _hits);
                    body = body[..(body.Length / 2)];
                    break;
            }
        }

        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), Upstream + pathAndQuery);
        if (body.Length > 0 || request.Method is "PUT" or "POST")
        {
            forward.Content = new ByteArrayContent(body);
        }
        foreach (var (name, values) in request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                // The request is signed for this host: keep it so s3rver checks the same signature.
                forward.Headers.Host = values.ToString();
                continue;
            }
            if (name is "Content-Length" or "Transfer-Encoding" or "Connection" or "Expect")
            {
                continue;
            }
            if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values) && forward.Content is not null)
            {
                forward.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await _upstream.SendAsync(forward, HttpCompletionOption.ResponseContentRead);
        var responseBody = await response.Content.ReadAsByteArrayAsync();
        if (request.Method == "GET" && rules.Any(r => r.Fault == S3Fault.CorruptDownload) && response.IsSuccessStatusCode && responseBody.Length > 0)
        {
            Interlocked.Increment(ref _hits);
            for (var i = 0; i < responseBody.Length; i += 997)
            {
                responseBody[i] ^= 0x5A;
            }
        }
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name is "Transfer-Encoding" or "Connection" or "Content-Length")
            {
                continue;
            }
            context.Response.Headers[name] = values.ToArray();
        }
        if (request.Method != "HEAD")
        {
            context.Response.ContentLength = responseBody.Length;
            await context.Response.Body.WriteAsync(responseBody);
        }
        else if (response.Content.Headers.ContentLength is { } length)
        {
            context.Response.ContentLength = length;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
