using Amazon.Runtime;
using Amazon.S3;
using Matrix.Tests.Infrastructure;

namespace Matrix.Tests.MediaJanitor.Infrastructure;

/// <summary>s3rver (npm, pinned in .ci/run) on a free loopback port, data in a temp folder; path from MATRIX_TEST_S3RVER.</summary>
public sealed class S3rverProcess : IAsyncDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    public const string PathVariable = "MATRIX_TEST_S3RVER";

    private readonly string _folder;
    private ExternalProcess _process;

    private S3rverProcess(ExternalProcess process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public string Output => _process.Output;

    public static async Task<(S3rverProcess? Server, string? SkipReason)> StartAsync()
    {
        var path = Environment.GetEnvironmentVariable(PathVariable);
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return (null, $"{PathVariable} is not set or does not point at s3rver ({path}); .ci/run installs s3rver 3.7.1 and sets it.");
        }
        var folder = Path.Combine(Path.GetTempPath(), "janitor-s3-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var port = FreePort.Tcp();
        var server = new S3rverProcess(Launch(path, folder, port), folder, port);
        try
        {
            await Readiness.WaitForTcpAsync(port, server._process, TimeSpan.FromSeconds(30));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return (server, null);
    }

    /// <summary>Kills the server process (SIGKILL); its data folder is kept for <see cref="RestartAsync"/>.</summary>
    public void Kill() => _process.Kill();

    /// <summary>Starts s3rver again on the same port and data folder, as an operator bringing the server back would.</summary>
    public async Task RestartAsync()
    {
        _process.Kill();
        await _process.DisposeAsync();
        _process = Launch(Environment.GetEnvironmentVariable(PathVariable)!, _folder, Port);
        await Readiness.WaitForTcpAsync(Port, _process, TimeSpan.FromSeconds(30));
    }

    private static ExternalProcess Launch(string path, string folder, int port)
    {
        // s3rver 3.7.1 encrypts list continuation tokens with a cipher OpenSSL 3 (Node 17+) only offers through
        // its legacy provider; without it every truncated listing fails with 500.
        var environment = new Dictionary<string, string> { ["NODE_OPTIONS"] = "--openssl-legacy-provider" };
        return ExternalProcess.Start(path, ["-d", folder, "-a", "127.0.0.1", "-p", port.ToString(), "--silent"], environment: environment);
    }

    /// <summary>A client for the tests' own checks (not the janitor's).</summary>
    public AmazonS3Client CreateClient() => new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = Url,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
