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

    /// <summary>
    /// Encodes one answer now, at start: a 503 is what the router answers when it has run out of file descriptors, and
    /// the first use of the JSON writer loads an assembly, which then fails for want of one.
    /// </summary>
    public static void Prepare() => Encode(Unknown, "");

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
        var body = Encode(errcode, error);
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private static byte[] Encode(string errcode, string error) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["errcode"] = errcode, ["error"] = error });
}
