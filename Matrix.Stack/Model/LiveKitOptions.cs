namespace Matrix.Stack.Model;

/// <summary>LiveKit SFU for MatrixRTC calls, with lk-jwt-service and a Redis of its own.</summary>
public sealed class LiveKitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The URL clients use for the SFU (WebSocket signalling); defaults to <c>wss://livekit.{ServerName}</c>.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The lk-jwt-service URL advertised as the MatrixRTC focus; defaults to <c>https://livekit-jwt.{ServerName}</c>.</summary>
    public string? JwtServicePublicUrl { get; set; }

    public int HttpPort { get; set; } = 7880;

    public int RtcTcpPort { get; set; } = 7881;

    public int RtcUdpPortStart { get; set; } = 50100;

    public int RtcUdpPortEnd { get; set; } = 50200;

    public int JwtServicePort { get; set; } = 8080;

    /// <summary>LiveKit's own Redis: never Synapse's.</summary>
    public string RedisHost { get; set; } = "livekit-redis";

    public int RedisPort { get; set; } = 6379;
}
