using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Matrix.MediaJanitor.Configuration;

namespace Matrix.MediaJanitor.Storage;

/// <summary>Builds the AWSSDK.S3 client for AWS or any S3-compatible endpoint.</summary>
public static class S3ClientFactory
{
    public static IAmazonS3 Create(S3Options options, int parallelism)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            MaxErrorRetry = options.MaxRetries,
            Timeout = options.RequestTimeout.Value,
            // Flexible checksums (CRC trailers in aws-chunked bodies) are not understood by every S3-compatible
            // server; integrity is checked by the janitor's own verification instead.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxConnectionsPerServer = Math.Max(parallelism * 2, 4),
        };
        if (!string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        return string.IsNullOrEmpty(options.AccessKeyId)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), config);
    }
}
