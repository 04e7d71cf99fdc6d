using System.Text;
using Matrix.Router.Balancing;

namespace Matrix.Tests.Router;

/// <summary>The ring's key hash (System.IO.Hashing's XXH64) against the reference implementation's published values: keys keep their instances across the switch from the router's own copy.</summary>
public class KeyHashTests
{
    [Theory]
    [InlineData("", 0xEF46DB3751D8E999UL)]
    [InlineData("a", 0xD24EC4F1A98C6E5BUL)]
    [InlineData("abc", 0x44BC2CF5AD770999UL)]
    [InlineData("Nobody inspects the spammish repetition", 0xFBCEA83C8A378BF1UL)]
    public void MatchesReferenceXxh64(string input, ulong expected)
    {
        Assert.Equal(expected, KeyHash.Of(Encoding.ASCII.GetBytes(input)));
    }

    [Fact]
    public void EveryInputLengthTakesADifferentPath()
    {
        // 0..100 bytes crosses the 1, 4, 8 and 32-byte code paths; all results must differ.
        var data = Enumerable.Range(0, 100).Select(i => (byte)(i * 7 + 3)).ToArray();
        var hashes = Enumerable.Range(0, data.Length + 1).Select(n => KeyHash.Of(data.AsSpan(0, n))).ToHashSet();
        Assert.Equal(data.Length + 1, hashes.Count);
    }
}
