using System.Diagnostics;
using Amazon.S3.Model;

namespace JanitorBench;

/// <summary>The S3 server's own ceiling: parallel PUTs of the same files, no hashing, no read-back, no deletion.</summary>
public static class ParallelIngest
{
    public static async Task<int> RunAsync(Arguments args)
    {
        var root = args["media"];
        var bucket = args["bucket"];
        using var s3 = S3Endpoint.Create(args);
        long files = 0, bytes = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(S3Endpoint.Files(root), new ParallelOptions { MaxDegreeOfParallelism = args.Int("parallel", 16) }, async (path, ct) =>
        {
            var key = Path.GetRelativePath(root, path).Replace('\\', '/');
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = stream, UseChunkEncoding = false, AutoCloseStream = false }, ct);
            Interlocked.Increment(ref files);
            Interlocked.Add(ref bytes, stream.Length);
        });
        Console.WriteLine($"INGEST files={files} bytes={bytes} seconds={clock.Elapsed.TotalSeconds:0.00}");
        return 0;
    }
}
