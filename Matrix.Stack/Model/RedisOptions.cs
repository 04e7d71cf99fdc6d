namespace Matrix.Stack.Model;

/// <summary>Synapse's Redis (replication pub/sub). LiveKit has its own, in <see cref="LiveKitOptions"/>.</summary>
public sealed class RedisOptions
{
    public string Host { get; set; } = "redis";

    public int Port { get; set; } = 6379;
}
