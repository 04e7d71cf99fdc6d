using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Matrix.AppHost.Media;
using Matrix.AppHost.Tests.Infrastructure;
using Matrix.Stack.Presets;
using Matrix.Tests.MediaJanitor.Infrastructure;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// The <c>s3rver</c> resource of <c>Matrix:LocalS3:Enabled=true</c>, started by Aspire's orchestrator as in a local run
/// (the rest of the model left out: no container is needed): it becomes healthy on its allocated port with the bucket
/// created, and takes objects with its own keys into the data folder. Needs s3rver (<c>MATRIX_TEST_S3RVER</c>); outside
/// CI its absence skips, in CI it fails, as for the whole-stack tests.
/// </summary>
public sealed class S3rverResourceTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task S3rverBecomesHealthyWithTheBucketAndStoresObjectsInItsDataFolder()
    {
        var path = Environment.GetEnvironmentVariable(S3rverProcess.PathVariable);
        var missing = WholeStackRequirement.Check(string.IsNullOrEmpty(path) || !File.Exists(path)
            ? $"{S3rverProcess.PathVariable} is not set or does not point at s3rver ({path}); .ci/run installs s3rver {LocalS3Settings.S3rverVersion} and sets it" : null);
        Assert.SkipWhen(missing is not null, missing ?? "");
        using var cancellation = new CancellationTokenSource(Budget);
        var ct = cancellation.Token;
        var data = Directory.CreateTempSubdirectory("matrix-local-s3-").FullName;
        try
        {
            await using var builder = await AppHostFactory.CreateAsync(StackPresets.Monolith, "--Matrix:LocalS3:Enabled=true",
                "--Matrix:Settings:s3.synapseStorageProvider=false", $"--{LocalS3Settings.CommandKey}={path}", $"--{LocalS3Settings.DataPathKey}={data}");
            foreach (var other in builder.Resources.Where(r => r.Name != LocalS3Extensions.ResourceName).ToList())
            {
                builder.Resources.Remove(other);
            }
            await using var app = await builder.BuildAsync(ct);
            await app.StartAsync(ct);
            await app.ResourceNotifications.WaitForResourceHealthyAsync(LocalS3Extensions.ResourceName, ct);

            var bucket = new Matrix.Stack.Model.S3MediaOptions().Bucket;
            using var client = new AmazonS3Client(new BasicAWSCredentials(Matrix.Stack.Wiring.MediaJanitorWiring.S3rverKey, Matrix.Stack.Wiring.MediaJanitorWiring.S3rverKey), new AmazonS3Config
            {
                ServiceURL = app.GetEndpoint(LocalS3Extensions.ResourceName, S3rverResource.HttpEndpointName).ToString(),
                ForcePathStyle = true,
                AuthenticationRegion = "us-east-1",
                RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
                ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            });
            // As the janitor puts objects (ObjectStore): s3rver 3.7.1 does not decode aws-chunked bodies.
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "local_content/ab/cd/efgh", ContentBody = "media", UseChunkEncoding = false }, ct);
            using var stored = await client.GetObjectAsync(bucket, "local_content/ab/cd/efgh", ct);
            using var reader = new StreamReader(stored.ResponseStream);
            Assert.Equal("media", await reader.ReadToEndAsync(ct));
            Assert.True(Directory.Exists(Path.Combine(data, bucket)), $"s3rver keeps no bucket folder in {data}: {string.Join(", ", Directory.GetFileSystemEntries(data))}");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
