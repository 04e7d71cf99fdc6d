using Matrix.Stack.Model;

namespace Matrix.Stack.Synapse;

/// <summary>
/// Public names the options leave to defaults (<c>turn.{server}</c>, <c>https://livekit-jwt.{server}</c>), as the
/// option documentation states them. The host part of <c>server_name</c> is used: it may carry a port.
/// </summary>
public static class PublicHosts
{
    public static string ServerHost(StackOptions options)
    {
        var name = options.ServerName;
        if (name.StartsWith('['))
        {
            return name[..(name.IndexOf(']') + 1)];
        }
        var colon = name.IndexOf(':');
        return colon < 0 ? name : name[..colon];
    }

    public static string TurnHost(StackOptions options) => options.Coturn.PublicHost ?? $"turn.{ServerHost(options)}";

    public static string LiveKitJwtServiceUrl(StackOptions options) =>
        options.LiveKit.JwtServicePublicUrl ?? $"https://livekit-jwt.{ServerHost(options)}";
}
