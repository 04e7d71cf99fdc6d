using System.Globalization;
using k8s.Models;
using Matrix.AppHost.Media;
using Matrix.AppHost.Secrets;
using Matrix.AppHost.Tests.Infrastructure;
using Matrix.AppHost.Tests.Kubernetes;
using Matrix.AppHost.Tests.Publishing;
using Matrix.Stack.Presets;
using Matrix.Stack.Secrets;
using Matrix.Stack.Wiring;
using Matrix.Tests.Infrastructure;
using Matrix.Tests.MediaJanitor.Infrastructure;
using Npgsql;

namespace Matrix.AppHost.Tests.Wiring;

/// <summary>
/// The media janitor's environment as the wiring model has each host produce it — the one the AppHost resolves for
/// the janitor resource, and the published CronJob's with the Secret's values put in — given to the real
/// Matrix.MediaJanitor process against a real PostgreSQL and s3rver: it must read Synapse's database and the media
/// store and write the old upload to the bucket. No secret value may be a plain value of the model or be published.
/// </summary>
public sealed class MediaJanitorEnvironmentTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("matrix-janitor-env-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private const string Preset = StackPresets.Monolith;

    // As the operator gives them; s3rver accepts only its own key pair.
    private static readonly Dictionary<string, string> Secrets = new(StringComparer.Ordinal)
    {
        [SecretName.PostgresPassword] = "JanitorWiringDatabasePassword4e2b9",
        [SecretName.S3AccessKeyId] = S3rverProcess.AccessKey,
        [SecretName.S3SecretAccessKey] = S3rverProcess.SecretKey,
    };

    private static string[] SecretArguments() =>
        Secrets.Select(secret => $"--Parameters:{MatrixSecrets.ParameterName(secret.Key)}={secret.Value}").ToArray();

    [Fact]
    public async Task TheEnvironmentTheAppHostResolvesForTheJanitorReachesTheDatabaseAndTheBucket()
    {
        var options = StackPresets.Create(Preset);
        await using var backends = await JanitorBackends.StartAsync(options, Secrets[SecretName.PostgresPassword]);
        await using var builder = await AppHostFactory.CreateAsync(Preset, [.. SecretArguments(), $"--{MediaStorageExtensions.HostPathKey}={backends.MediaStore}"]);

        var janitor = builder.Resources.Single(r => r.Name == MediaJanitorExtensions.ResourceName);
        var declared = await Model.ModelInspection.EnvironmentAsync(janitor, builder.ExecutionContext);
        foreach (var (name, value) in declared)
        {
            if (value is string text)
            {
                AssertHoldsNoSecret(name, text);
            }
        }
        Assert.IsAssignableFrom<ParameterResource>(declared["Janitor__S3__SecretAccessKey"]);

        var environment = await ResolvedEnvironment.UnderTheDashboardAsync(builder, MediaJanitorExtensions.ResourceName,
            new Dictionary<(string, string), int>
            {
                [(options.Database.Host, "tcp")] = backends.Postgres.Port,
                [(ComponentNames.MinIO, EndpointNames.Http)] = backends.S3.Port,
            });
        var port = FreePort.Tcp();
        // Its health listener is the orchestrator's to place (this test's free port instead of the one allocated above).
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        await using var process = Start(environment, []);

        await EventuallyAsync(backends.UploadIsInTheBucketAsync, process, "the scheduled run to offload the upload");
        using var http = new HttpClient();
        Assert.Equal("Healthy", await http.GetStringAsync($"http://127.0.0.1:{port}/health", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TheKubernetesCronJobsEnvironmentReachesTheDatabaseAndTheBucket()
    {
        var options = StackPresets.Create(Preset);
        await using var backends = await JanitorBackends.StartAsync(options, Secrets[SecretName.PostgresPassword]);
        var output = KubernetesOutput.Load(await Publisher.PublishKubernetesAsync(Path.Combine(_work, "out"), Preset, SecretArguments()));
        foreach (var file in Directory.GetFiles(output.Directory))
        {
            AssertHoldsNoSecret(Path.GetFileName(file), await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        }

        var workload = output.WorkloadNamed(MediaJanitorExtensions.ResourceName);
        Assert.Equal("CronJob", workload.Kind);
        var container = workload.Container;
        var environment = ResolvedEnvironment.InThePod(container, Secrets);

        // There is no cluster here, so the test stands in for its DNS and the volume: each address the CronJob is given
        // must be a Service of the output on the port it names, and the media store path a mount of the container;
        // those are then pointed at the real servers and folder.
        var database = new NpgsqlConnectionStringBuilder(environment["ConnectionStrings__synapse"]);
        AssertIsAService(output, database.Host!, database.Port);
        database.Host = "127.0.0.1";
        database.Port = backends.Postgres.Port;
        environment["ConnectionStrings__synapse"] = database.ConnectionString;
        var s3 = new Uri(environment["Janitor__S3__ServiceUrl"]);
        AssertIsAService(output, s3.Host, s3.Port);
        environment["Janitor__S3__ServiceUrl"] = backends.S3.Url;
        Assert.Contains(container.VolumeMounts ?? [], mount => mount.MountPath == environment["Janitor__MediaStore__Path"]);
        environment["Janitor__MediaStore__Path"] = backends.MediaStore;

        await using var process = Start(environment, container.Args ?? []);
        var code = await process.WaitForExitAsync(TimeSpan.FromMinutes(3));
        // 0: the run succeeded (Matrix.MediaJanitor ExitCodes.Success); a dependency it could not reach is 4.
        Assert.True(code == 0, $"the janitor's run exited {code}:{Environment.NewLine}{process.Output}");
        Assert.True(await backends.UploadIsInTheBucketAsync(), $"the run did not put the upload in the bucket:{Environment.NewLine}{process.Output}");
    }

    private static void AssertHoldsNoSecret(string where, string text)
    {
        foreach (var (name, value) in Secrets)
        {
            Assert.False(text.Contains(value, StringComparison.Ordinal), $"{where} holds the value of secret {name}");
        }
    }

    private static void AssertIsAService(KubernetesOutput output, string host, int port) =>
        Assert.True(output.Of<V1Service>().Any(service => service.Metadata.Name == host && service.Spec.Ports.Any(p => p.Port == port)),
            string.Create(CultureInfo.InvariantCulture, $"no Service {host} with port {port} in the output"));

    // The process alone, with nothing but the given environment added (as a container or the orchestrator starts it).
    private static ExternalProcess Start(Dictionary<string, string> environment, IEnumerable<string> arguments)
    {
        var dll = AppHostPaths.ProjectDll("Matrix.MediaJanitor");
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return ExternalProcess.Start("dotnet", [dll, .. arguments], Path.GetDirectoryName(dll), environment);
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, ExternalProcess process, string what)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (!await condition())
        {
            Assert.False(process.HasExited, $"the janitor exited before {what}:{Environment.NewLine}{process.Output}");
            if (bound.IsCancellationRequested)
            {
                Assert.Fail($"no sign of {what} after 3 minutes:{Environment.NewLine}{process.Output}");
            }
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }
}
