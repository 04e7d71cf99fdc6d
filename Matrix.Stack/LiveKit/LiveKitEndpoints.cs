using Matrix.Stack.Coturn;
using Matrix.Stack.Model;

namespace Matrix.Stack.LiveKit;

/// <summary>The public URLs of the MatrixRTC backend once defaults are applied, shared by every file that names them.</summary>
public static class LiveKitEndpoints
{
    /// <summary>Where clients open the SFU's WebSocket: <c>livekit.publicUrl</c>, else <c>wss://livekit.</c> + the server name's host.</summary>
    public static string SfuPublicUrl(StackOptions options) =>
        WithoutTrailingSlash(options.LiveKit.PublicUrl ?? $"wss://livekit.{CoturnEndpoints.ServerNameHost(options.ServerName)}");

    /// <summary>
    /// The lk-jwt-service URL advertised as the MatrixRTC focus: <c>livekit.jwtServicePublicUrl</c>, else
    /// <c>https://livekit-jwt.</c> + the server name's host. No trailing slash: clients append <c>/sfu/get</c> to it.
    /// </summary>
    public static string JwtServicePublicUrl(StackOptions options) =>
        WithoutTrailingSlash(options.LiveKit.JwtServicePublicUrl ?? $"https://livekit-jwt.{CoturnEndpoints.ServerNameHost(options.ServerName)}");

    internal static string WithoutTrailingSlash(string url) => url.Length > 1 && url.EndsWith('/') ? url.TrimEnd('/') : url;
}
