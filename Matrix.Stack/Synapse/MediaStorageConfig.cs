using Matrix.Stack.Model;
using Matrix.Stack.Yaml;

namespace Matrix.Stack.Synapse;

/// <summary>
/// Media storage: the local store (also the cache in front of S3), the upload limit, and, when S3 is on, the
/// synapse-s3-storage-provider module. Its credentials are not in the file: boto3 reads
/// <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c> from the environment (<see cref="SynapseSecrets.Environment"/>).
/// botocore already addresses a non-AWS endpoint path-style, which MinIO needs.
/// </summary>
public static class MediaStorageConfig
{
    public const string S3ProviderModule = "s3_storage_provider.S3StorageProviderBackend";

    public static void AddTo(YamlMapping config, StackOptions options)
    {
        config.Add("media_store_path", options.Synapse.MediaStorePath);
        config.Add("max_upload_size", options.Synapse.MaxUploadSize);
        if (options.S3 is { Enabled: true, SynapseStorageProvider: true })
        {
            config.Add("media_storage_providers", new List<object?> { S3Provider(options.S3) });
        }
    }

    public static YamlMapping S3Provider(S3MediaOptions s3)
    {
        var providerConfig = new YamlMapping
        {
            { "bucket", s3.Bucket },
            { "region_name", s3.Region },
            { "endpoint_url", s3.Endpoint },
            { "prefix", s3.Prefix },
        };
        if (s3.StorageClass is { Length: > 0 } storageClass)
        {
            providerConfig.Add("storage_class", storageClass);
        }
        return new YamlMapping
        {
            { "module", S3ProviderModule },
            // Every local upload and every cached remote file goes to S3, and an upload completes only once stored
            // there, so any media worker (or a lost local disk) can serve it afterwards.
            { "store_local", true },
            { "store_remote", true },
            { "store_synchronous", true },
            { "config", providerConfig },
        };
    }
}
