using Amazon.Runtime;
using Amazon.S3;

namespace JanitorBench;

/// <summary>The same client settings the janitor uses (plain bodies, no flexible checksums), for a fair comparison.</summary>
public static class S3Endpoint
{
    public static AmazonS3Client Create(Arguments args) => new(new BasicAWSCredentials(args["access-key"], args["secret-key"]), new AmazonS3Config
    {
        ServiceURL = args["endpoint"],
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        MaxConnectionsPerServer = 64,
    });

    public static IEnumerable<string> Files(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories);
}
