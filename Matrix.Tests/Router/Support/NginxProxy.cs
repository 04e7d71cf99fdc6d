using Matrix.Tests.Infrastructure;

namespace Matrix.Tests.Router.Support;

/// <summary>
/// Debian's nginx as a reverse proxy on the same host, in front of the router, configured the usual way
/// (<c>proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for</c>): every request reaches the router from 127.0.0.1.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    private readonly ExternalProcess _process;
    private readonly string _prefix;

    private NginxProxy(ExternalProcess process, string prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public static async Task<NginxProxy> StartAsync(int upstreamPort)
    {
        var nginx = ExternalProcess.RequireExecutable("nginx", "apt-get install nginx-light");
        var prefix = Directory.CreateTempSubdirectory("router-nginx-").FullName;
        var port = FreePort.Tcp();
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), $$"""
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log stderr warn;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://127.0.0.1:{{upstreamPort}};
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Real-IP $remote_addr;
                    }
                }
            }
            """);
        var process = ExternalProcess.Start(nginx, ["-p", prefix, "-c", Path.Combine(prefix, "nginx.conf"), "-g", "daemon off;"]);
        await Readiness.WaitForTcpAsync(port, process, TimeSpan.FromSeconds(60));
        return new NginxProxy(process, prefix, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_prefix, recursive: true);
    }
}
