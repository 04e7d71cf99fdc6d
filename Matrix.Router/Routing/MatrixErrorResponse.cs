using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Matrix.Router.Routing;

/// <summary>Errors the router answers itself, in Matrix's shape: <c>{"errcode": "...", "error": "..."}</c>.</summary>
public static class MatrixErrorResponse
{
    public const string Unrecognized = "M_UNRECOGNIZED";
    public const string Forbidden = "M_FORBIDDEN";
    public const string TooLarge = "M_TOO_LARGE";
    public const string Unknown = "M_UNKNOWN";

    public static async Task WriteAsync(HttpContext context, int status, string errcode, string error, TimeSpan? retryAfter = null)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        if (retryAfter is { } delay)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["errcode"] = errcode, ["error"] = error });
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }
}
