namespace JanitorBench;

/// <summary>
/// Modes: <c>generate</c> (media store + Synapse rows), <c>baseline</c> (one file at a time: upload, read back,
/// delete, as s3_media_upload loops), <c>ingest</c> (parallel PUTs only: the S3 server's own ceiling).
/// </summary>
public static class Program
{
    private static async Task<int> CreateBucketAsync(Arguments args)
    {
        using var s3 = S3Endpoint.Create(args);
        await s3.PutBucketAsync(args["bucket"]);
        return 0;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        Console.WriteLine(((System.Net.IPEndPoint)listener.LocalEndpoint).Port);
        return 0;
    }

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: JanitorBench generate|baseline|ingest --key value ...");
            return 2;
        }
        var options = Arguments.Parse(args.Skip(1));
        return args[0] switch
        {
            "generate" => await MediaStoreGenerator.RunAsync(options),
            "baseline" => await SequentialBaseline.RunAsync(options),
            "ingest" => await ParallelIngest.RunAsync(options),
            "create-bucket" => await CreateBucketAsync(options),
            "free-port" => FreePort(),
            "latency-proxy" => await LatencyProxy.RunAsync(options),
            _ => 2,
        };
    }
}
