using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Matrix.Router.Balancing;

/// <summary>
/// Key hashes for the hash ring: XXH64 (System.IO.Hashing's <see cref="XxHash64"/>, the same function the router
/// used to carry its own copy of, so every key keeps its instance). Fast and well mixed, not cryptographic: it spreads
/// keys over instances, it does not protect them. Deterministic across processes and machines, so every router
/// replica sends a key to the same instance.
/// </summary>
public static class KeyHash
{
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong Prime3 = 0x165667B19E3779F9UL;

    /// <summary>Hash of the UTF-16 code units of <paramref name="text"/> (no transcoding on the hot path).</summary>
    public static ulong Of(ReadOnlySpan<char> text) => Of(MemoryMarshal.AsBytes(text));

    public static ulong Of(ReadOnlySpan<byte> data, ulong seed = 0) => XxHash64.HashToUInt64(data, (long)seed);

    /// <summary>
    /// Mixes a key hash with an instance's seed into the instance's score for that key (rendezvous hashing): XXH64's
    /// final avalanche step, which <see cref="XxHash64"/> does not expose on its own. Hashing the 16 bytes again
    /// would do as well but would move every key once, so the scores stay what they were.
    /// </summary>
    public static ulong Score(ulong keyHash, ulong instanceSeed) => Avalanche(keyHash ^ instanceSeed);

    private static ulong Avalanche(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= Prime2;
        hash ^= hash >> 29;
        hash *= Prime3;
        hash ^= hash >> 32;
        return hash;
    }
}
