using Matrix.Tests.Infrastructure;

namespace Matrix.Tests.Router.Support;

/// <summary>
/// A backend in a process of its own (Python's standard HTTP server, keep-alive HTTP/1.1) that a test can
/// <c>kill -9</c>, as a crashed or OOM-killed Synapse worker dies: its connections are reset by the kernel mid-request.
/// It answers every GET with <c>X-Backend-Instance</c>, except that a GET whose query has <c>hold=1</c> is held (a
/// <c>/sync</c> long-poll) until the process dies; it prints <c>held</c> when it starts holding one.
/// </summary>
public sealed class KillableBackend : IAsyncDisposable
{
    private const string Script = """
        import sys, time
        from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                if "hold=1" in self.path:
                    print("held", flush=True)
                    time.sleep(3600)
                body = b"OK" if self.path == "/health" else b"{}"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("X-Backend-Instance", sys.argv[2])
                self.end_headers()
                self.wfile.write(body)

        ThreadingHTTPServer.daemon_threads = True
        ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
        """;

    private readonly ExternalProcess _process;
    private readonly string _script;

    private KillableBackend(ExternalProcess process, string script, int port)
    {
        _process = process;
        _script = script;
        Url = $"http://127.0.0.1:{port}";
    }

    public string Url { get; }

    public bool IsHolding => _process.Output.Contains("held", StringComparison.Ordinal);

    public static async Task<KillableBackend> StartAsync(string instance)
    {
        var python = ExternalProcess.RequireExecutable("/usr/bin/python3", "apt-get install python3");
        var script = Path.Combine(Path.GetTempPath(), $"killable-backend-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, Script);
        var port = FreePort.Tcp();
        var process = ExternalProcess.Start(python, [script, port.ToString(System.Globalization.CultureInfo.InvariantCulture), instance]);
        await Readiness.WaitForTcpAsync(port, process, TimeSpan.FromSeconds(60));
        return new KillableBackend(process, script, port);
    }

    /// <summary>SIGKILL: no goodbye, the kernel resets every connection the process had.</summary>
    public void Kill() => _process.Kill();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        File.Delete(_script);
    }
}
