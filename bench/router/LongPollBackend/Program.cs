using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Matrix.Bench.LongPollBackend;

/// <summary>
/// <c>LongPollBackend PORT...</c>: answers <c>/health</c> at once and holds every <c>/sync</c> for its <c>timeout</c>
/// (milliseconds, at most 120 s) before answering, as Synapse does when there is nothing new; anything else answers at once.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var port in args)
            {
                kestrel.Listen(IPAddress.Loopback, int.Parse(port, CultureInfo.InvariantCulture));
            }
        });
        var app = builder.Build();
        app.Run(async context =>
        {
            if (context.Request.Path.Value?.EndsWith("/sync", StringComparison.Ordinal) == true
                && int.TryParse(context.Request.Query["timeout"], CultureInfo.InvariantCulture, out var timeout))
            {
                try
                {
                    await Task.Delay(Math.Min(timeout, 120_000), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"next_batch\":\"s1\"}");
        });
        app.Run();
    }
}
