using System.Buffers;
using System.Security.Cryptography;

namespace Matrix.MediaJanitor.Offload;

/// <summary>Streams a local file once to get its length, SHA-256 and (for ETag checks) MD5.</summary>
public static class LocalFileHasher
{
    private const int BufferSize = 256 * 1024;

    public static async Task<(long Length, string Sha256Hex, string? Md5Hex)> HashAsync(string path, bool withMd5, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = withMd5 ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long total = 0;
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                md5?.AppendData(buffer, 0, read);
                total += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return (total, Convert.ToHexStringLower(sha.GetHashAndReset()), md5 is null ? null : Convert.ToHexStringLower(md5.GetHashAndReset()));
    }
}
