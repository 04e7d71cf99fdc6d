using Amazon.S3;
using Matrix.AppHost.Media;
using Matrix.AppHost.Routing;
using Matrix.AppHost.Tests.Infrastructure;
using Matrix.Tests.MediaJanitor.Infrastructure;
using Matrix.Tests.ServiceDefaults;
using Matrix.Tests.Stack.Components.Turn;

namespace Matrix.AppHost.Tests.WholeStack;

/// <summary>
/// One running stack for the whole-stack tests: the AppHost's monolith model on the locally built images, LiveKit and the
/// web clients off (no image can be built for them here), and S3 = an s3rver on loopback (MinIO has no Debian package),
/// with Synapse's storage provider off (Debian has no synapse-s3-storage-provider), so only the media janitor writes S3.
/// Started once for the test class; everything is reached through the router's endpoint.
/// </summary>
public sealed class WholeStackFixture : IAsyncLifetime
{
    public const string Bucket = "synapse-media";
    private static readonly TimeSpan StartupBudget = TimeSpan.FromMinutes(15);

    private S3rverProcess? _s3;
    private OtlpReceiver? _telemetry;
    private DistributedApplication? _app;
    private IDistributedApplicationTestingBuilder? _builder;

    /// <summary>Why the whole stack cannot run on this machine (outside CI), or null.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The running application; skips the calling test, naming what is missing, where the stack cannot run.</summary>
    public DistributedApplication App
    {
        get
        {
            Assert.SkipWhen(Unavailable is not null, Unavailable ?? "");
            return _app ?? throw new InvalidOperationException("the stack did not start");
        }
    }

    public ResourceWatch Resources { get; private set; } = null!;

    public string MediaStore { get; } = Directory.CreateTempSubdirectory("matrix-media-store-").FullName;

    public S3rverProcess S3 => _s3 ?? throw new InvalidOperationException("s3rver did not start");

    /// <summary>Where the router and the janitor send their traces, metrics and logs (the dashboard's role in a real run).</summary>
    public OtlpReceiver Telemetry => _telemetry ?? throw new InvalidOperationException("the OTLP receiver did not start");

    public TimeSpan StartupTime { get; private set; }

    /// <summary>The one account allowed to publish rooms to the directory (fresh per run: the database volume persists).</summary>
    public string DirectoryPublisher { get; } = $"publisher-{Guid.NewGuid():N}"[..20];

    public async ValueTask InitializeAsync()
    {
        using var cancellation = new CancellationTokenSource(StartupBudget);
        var ct = cancellation.Token;
        Unavailable = await LocalImages.EnsureBuiltAsync(ct);
        if (Unavailable is not null)
        {
            return;
        }
        var (s3, skip) = await S3rverProcess.StartAsync();
        Unavailable = WholeStackRequirement.Check(s3 is null ? skip : null);
        if (Unavailable is not null)
        {
            return;
        }
        _s3 = s3;
        using (var client = s3!.CreateClient())
        {
            await client.PutBucketAsync(Bucket, ct);
        }
        _telemetry = await OtlpReceiver.StartAsync(ct);

        // Podman on a loaded machine has left a container 'created' instead of running: the whole stack is started once
        // more; a second failure reports what podman says about each container of the stack.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartStackAsync(s3, ct);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && !ct.IsCancellationRequested)
            {
                var podman = await PodmanState.DescribeAsync(Resources?.Containers ?? []);
                await StopStackAsync();
                if (attempt == 2)
                {
                    throw new Xunit.Sdk.XunitException(
                        $"the stack failed to start twice; the second time: {e.Message}{Environment.NewLine}podman's state of its containers:{Environment.NewLine}{podman}");
                }
                TestContext.Current.SendDiagnosticMessage($"the stack failed to start ({e.Message}); podman's state:{Environment.NewLine}{podman}{Environment.NewLine}starting it once more");
            }
        }
    }

    private async Task StartStackAsync(S3rverProcess s3, CancellationToken ct)
    {
        // Free ports for what the model publishes on fixed host ports (TURN and its relay range), so a stack already
        // running on this machine (a developer's `dotnet run`) and this one do not fight over 3478 and 49160-49200.
        var turnPort = LoopbackPorts.TcpAndUdp(System.Net.IPAddress.Any);
        var (relayMin, relayMax) = LoopbackPorts.UdpRange(System.Net.IPAddress.Any, 16);
        // The router's documented fixed port likewise (README: http://localhost:18008).
        var routerPort = Matrix.Tests.Infrastructure.FreePort.Tcp();
        string[] arguments =
        [
            "--Matrix:Settings:livekit.enabled=false",
            "--Matrix:Settings:elementWeb.enabled=false",
            "--Matrix:Settings:synapseAdmin.enabled=false",
            $"--Matrix:Settings:s3.endpoint={s3.Url}",
            $"--Matrix:Settings:s3.bucket={Bucket}",
            "--Matrix:Settings:s3.synapseStorageProvider=false",
            $"--Matrix:Settings:synapse.roomDirectoryPublishers={DirectoryPublisher}",
            $"--Matrix:Settings:coturn.port={turnPort}",
            $"--Matrix:Settings:coturn.relayPortMin={relayMin}",
            $"--Matrix:Settings:coturn.relayPortMax={relayMax}",
            $"--Matrix:MediaStoreHostPath={MediaStore}",
            $"--{RouterHostPort.ConfigurationKey}={routerPort}",
            $"--Parameters:s3-access-key-id={S3rverProcess.AccessKey}",
            $"--Parameters:s3-secret-access-key={S3rverProcess.SecretKey}",
            .. LocalImages.Arguments(),
        ];
        _builder = await AppHostFactory.CreateAsync("monolith", arguments);
        foreach (var project in _builder.Resources.OfType<ProjectResource>())
        {
            // The same variables the dashboard's OTLP endpoint arrives through, pointed at a receiver the test can read.
            _builder.CreateResourceBuilder(project)
                .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", Telemetry.Url)
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        }
        // A fresh database every run: the model's named data volume is the developer's own `dotnet run` volume (same
        // AppHost, same name), initialised with another password; the tests must neither break nor reuse it.
        foreach (var postgres in _builder.Resources.OfType<PostgresServerResource>())
        {
            foreach (var volume in postgres.Annotations.OfType<ContainerMountAnnotation>().Where(m => m.Type == ContainerMountType.Volume).ToList())
            {
                postgres.Annotations.Remove(volume);
            }
        }
        // Offload media unused for a minute, every few seconds, instead of media older than 30 days once an hour. Not at
        // once: the image's Synapse has no S3 storage provider, so offloaded media is gone for clients, and the real
        // client's attachment must still be downloadable when the other user fetches it, however loaded the machine is.
        _builder.CreateResourceBuilder(_builder.Resources.OfType<ProjectResource>().Single(r => r.Name == MediaJanitorExtensions.ResourceName))
            .WithEnvironment("Janitor__Offload__MinimumAge", "60s")
            .WithEnvironment("Janitor__Offload__MinimumFileAge", "0s")
            .WithEnvironment("Janitor__Schedule__Interval", "3s");
        _app = await _builder.BuildAsync(ct);
        Resources = new ResourceWatch(_app);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Resources.WithFailuresAsync(_app.StartAsync(ct), "the application to start");
        await Resources.WithFailuresAsync(_app.ResourceNotifications.WaitForResourceHealthyAsync(MatrixRouterExtensions.ResourceName, ct), "the router to be healthy");
        await Resources.WithFailuresAsync(_app.ResourceNotifications.WaitForResourceHealthyAsync(MediaJanitorExtensions.ResourceName, ct), "the media janitor to be healthy");
        StartupTime = started.Elapsed;
        TestContext.Current.SendDiagnosticMessage(
            $"whole stack up in {StartupTime.TotalSeconds:F0} s; {Resources.Running.Count} resources running: {string.Join(", ", Resources.Running)}");
    }

    // Stops what StartStackAsync started (the containers with the application), so a second start begins clean.
    private async Task StopStackAsync()
    {
        if (Resources is not null)
        {
            await Resources.DisposeAsync();
            Resources = null!;
        }
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
        if (_builder is not null)
        {
            await _builder.DisposeAsync();
            _builder = null;
        }
    }

    /// <summary>A client of the router's endpoint, the only way in.</summary>
    public MatrixClient Client() => new(App.CreateHttpClient(MatrixRouterExtensions.ResourceName, MatrixRouterExtensions.HttpEndpoint));

    public AmazonS3Client S3Client() => S3.CreateClient();

    public async ValueTask DisposeAsync()
    {
        await StopStackAsync();
        if (_s3 is not null)
        {
            await _s3.DisposeAsync();
        }
        if (_telemetry is not null)
        {
            await _telemetry.DisposeAsync();
        }
        try
        {
            Directory.Delete(MediaStore, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
