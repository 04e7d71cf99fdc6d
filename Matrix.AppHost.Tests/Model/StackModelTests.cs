using Matrix.AppHost.Data;
using Matrix.AppHost.Media;
using Matrix.AppHost.Secrets;
using Matrix.Stack.Coturn;
using Matrix.Stack.Layout;
using Matrix.Stack.LiveKit;
using Matrix.Stack.Presets;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Tests.Model;

/// <summary>The model of every preset, as the AppHost builds it: resources, images, endpoints, start order, secrets.</summary>
public sealed class StackModelTests
{
    public static TheoryData<string> Presets => new(StackPresets.Names);

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task EverySynapseProcessOfTheLayoutIsAContainerWithItsListeners(string preset)
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(preset);
        var layout = SynapseLayout.Create(StackPresets.Create(preset));

        var synapse = builder.Resources.OfType<ContainerResource>().Where(r => r.Name.StartsWith("synapse-", StringComparison.Ordinal)
            && r.Name != WebClientsNames.SynapseAdmin).Select(r => r.Name).Order(StringComparer.Ordinal);
        Assert.Equal(layout.Instances.Select(i => i.Host).Order(StringComparer.Ordinal), synapse);

        foreach (var instance in layout.Instances)
        {
            var container = builder.Get<Synapse.SynapseProcessResource>(instance.Host);
            Assert.Equal(instance.Name, container.Instance.Name);
            Assert.Equal(instance.HttpPort, container.Endpoint("http").TargetPort);
            if (instance.ReplicationPort is { } replication)
            {
                Assert.Equal(replication, container.Endpoint("replication").TargetPort);
            }
            // The Synapse image is pinned, extended with the S3 storage provider (S3 media is on in every preset).
            var build = container.Annotations.OfType<DockerfileBuildAnnotation>().Single();
            Assert.Equal(ContainerImages.Pinned[ContainerImages.Component.Synapse].Reference, build.BuildArguments["SYNAPSE_IMAGE"]);
            Assert.Contains(container.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key.Length > 0);
        }
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task DatabaseComesBeforeMainAndMainBeforeEveryWorkerAndTheRouter(string preset)
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(preset);
        var layout = SynapseLayout.Create(StackPresets.Create(preset));

        var main = builder.Get<ContainerResource>(layout.Main.Host);
        Assert.Contains(SynapseDatabaseExtensions.DatabaseResourceName, main.WaitsFor());
        Assert.Contains("redis", main.WaitsFor());
        Assert.Contains(MediaStorageExtensions.BucketCreationResourceName, main.WaitsFor());
        foreach (var worker in layout.Workers)
        {
            Assert.Equal(new[] { layout.Main.Host }, builder.Get<ContainerResource>(worker.Host).WaitsFor());
        }
        Assert.Contains(layout.Main.Host, builder.Get<ProjectResource>("router").WaitsFor());
    }

    [Fact]
    public async Task PostgresCreatesTheSynapseDatabaseWithTheCCollationInBothModes()
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(StackPresets.Monolith);
        var server = builder.Get<PostgresServerResource>("postgres");
        var environment = await server.EnvironmentAsync(builder.ExecutionContext);

        // Kubernetes: the cluster is initialised in C/UTF8 and creates the database itself on first start.
        var initDb = Assert.IsType<string>(environment["POSTGRES_INITDB_ARGS"]);
        Assert.Contains("--locale=C", initDb, StringComparison.Ordinal);
        Assert.Contains("--encoding=UTF8", initDb, StringComparison.Ordinal);
        Assert.Contains("scram-sha-256", initDb, StringComparison.Ordinal);
        Assert.Equal("synapse", environment["POSTGRES_DB"]);

        // Run mode: Aspire runs the creation script (its annotation type is internal to Aspire.Hosting.PostgreSQL).
        var database = builder.Get<PostgresDatabaseResource>(SynapseDatabaseExtensions.DatabaseResourceName);
        var script = database.Annotations.Single(a => a.GetType().Name == "PostgresCreateDatabaseScriptAnnotation");
        var text = (string)script.GetType().GetProperty("Script")!.GetValue(script)!;
        Assert.Equal("CREATE DATABASE \"synapse\" WITH ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0", text);
    }

    [Fact]
    public async Task SynapseAndLiveKitHaveTwoSeparateRedisEachWithItsOwnPassword()
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(StackPresets.Full);
        var redis = builder.Resources.OfType<RedisResource>().OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "livekit-redis", "redis" }, redis.Select(r => r.Name));
        Assert.Equal("livekit-redis-password", redis[0].PasswordParameter?.Name);
        Assert.Equal("redis-password", redis[1].PasswordParameter?.Name);
        Assert.Contains("livekit-redis", builder.Get<ContainerResource>("livekit").WaitsFor());
    }

    [Fact]
    public async Task EverySecretIsASecretParameterAndReachesSynapseAsAFile()
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(StackPresets.Specialized);
        var options = StackPresets.Create(StackPresets.Specialized);
        var parameters = builder.Resources.OfType<ParameterResource>().ToDictionary(p => p.Name);
        foreach (var name in SecretName.RequiredFor(options).Select(MatrixSecrets.ParameterName))
        {
            Assert.True(parameters[name].Secret, $"parameter {name} must be secret");
        }

        // Every process, workers included, gets the same files: the signing key and Redis' password among them.
        var layout = SynapseLayout.Create(options);
        foreach (var instance in new[] { layout.Main, layout.Workers.First() })
        {
            var container = builder.Get<ContainerResource>(instance.Host);
            var files = container.SecretFiles(options.Synapse.SecretsDirectory);
            Assert.Equal("macaroon-secret-key", files[SecretName.MacaroonSecretKey].Name);
            Assert.Equal("signing-key", files[SecretName.SigningKey].Name);
            Assert.Equal("redis-password", files[SecretName.RedisPassword].Name);
            Assert.DoesNotContain(SecretName.LiveKitApiSecret, files.Keys);
            Assert.DoesNotContain(SecretName.LiveKitRedisPassword, files.Keys);
            // libpq's own variable: Synapse's database settings have no password-file option.
            var environment = await container.EnvironmentAsync(builder.ExecutionContext);
            Assert.Equal("postgres-password", environment.Parameter("PGPASSWORD").Name);
        }
    }

    [Fact]
    public async Task CoturnStartsThroughTheLaunchScriptWithItsSecretAsAFileAndNoneOnTheCommandLine()
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(StackPresets.Monolith);
        var options = StackPresets.Create(StackPresets.Monolith);
        var coturn = builder.Get<ContainerResource>("coturn");
        var command = CoturnContainerCommand.For(options);

        Assert.Equal(command.Entrypoint, coturn.Entrypoint);
        var arguments = await coturn.ArgumentsAsync();
        Assert.Equal(command.Arguments, arguments);
        Assert.Equal("turn-shared-secret", coturn.SecretFiles(command.SecretsDirectory)[SecretName.TurnSharedSecret].Name);
        Assert.DoesNotContain(arguments, a => a.Contains(Infrastructure.AppHostFactory.SecretValue("turn-shared-secret"), StringComparison.Ordinal));
        Assert.DoesNotContain(arguments, a => a.Contains("--static-auth-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LiveKitAndLkJwtServiceReadTheirSecretsFromFiles()
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(StackPresets.Monolith);
        var options = StackPresets.Create(StackPresets.Monolith);

        var liveKit = builder.Get<ContainerResource>("livekit");
        var command = LiveKitContainerCommand.For(options);
        Assert.Equal(command.Entrypoint, liveKit.Entrypoint);
        Assert.Equal(command.Arguments, await liveKit.ArgumentsAsync());
        var environment = await liveKit.EnvironmentAsync(builder.ExecutionContext);
        var files = liveKit.SecretFiles(command.SecretsDirectory);
        foreach (var secret in command.SecretFiles)
        {
            Assert.Equal(MatrixSecrets.ParameterName(secret), files[secret].Name);
        }
        Assert.Equal("livekit-redis-password", files[SecretName.LiveKitRedisPassword].Name);
        // No combined "key: secret" value: Kubernetes Secrets hold one value per key.
        Assert.False(environment.ContainsKey("LIVEKIT_KEYS"));

        var jwtService = builder.Get<ContainerResource>("lk-jwt-service");
        var jwt = await jwtService.EnvironmentAsync(builder.ExecutionContext);
        foreach (var (name, value) in LiveKitConfigRenderer.JwtServiceVariables(options))
        {
            Assert.Equal(value, jwt[name]);
        }
        Assert.Equal($"{options.Synapse.SecretsDirectory}/{SecretName.LiveKitApiKey}", jwt["LIVEKIT_KEY_FROM_FILE"]);
        Assert.Equal("livekit-api-secret", jwtService.SecretFiles(options.Synapse.SecretsDirectory)[SecretName.LiveKitApiSecret].Name);
        foreach (var inline in new[] { "LIVEKIT_KEY", "LIVEKIT_SECRET", "LIVEKIT_JWT_PORT" })
        {
            Assert.False(jwt.ContainsKey(inline), $"lk-jwt-service must not get {inline}");
        }
    }

    [Fact]
    public async Task WorkerProcessesRunTheirWorkerAppWithTheirOwnWorkerFile()
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(StackPresets.Full);
        var layout = SynapseLayout.Create(StackPresets.Create(StackPresets.Full));
        var worker = layout.Workers.First();
        var arguments = await builder.Get<ContainerResource>(worker.Host).ArgumentsAsync();
        Assert.Equal(
            new[] { "run", "-m", worker.Pool.WorkerApp, "--config-path", "/data/config/homeserver.yaml", "--config-path", $"/data/config/workers/{worker.Name}.yaml" },
            arguments);
    }

    [Fact]
    public async Task TheMediaJanitorReadsSynapseDatabaseAndTheBucket()
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(StackPresets.Monolith);
        var janitor = builder.Get<ProjectResource>(MediaJanitorExtensions.ResourceName);
        var environment = await janitor.EnvironmentAsync(builder.ExecutionContext);
        Assert.True(environment.ContainsKey("ConnectionStrings__synapse"));
        Assert.Equal("synapse-media", environment["Janitor__S3__Bucket"]);
        Assert.Equal("s3-access-key-id", environment.Parameter("Janitor__S3__AccessKeyId").Name);
        Assert.Contains(MediaStorageExtensions.BucketCreationResourceName, janitor.WaitsFor());
    }

    [Fact]
    public async Task TheRouterIsToldWhoMayReachTheAdminApiAndWhichProxiesToBelieve()
    {
        await using (var builder = await Infrastructure.AppHostFactory.CreateAsync(StackPresets.Monolith))
        {
            var environment = await builder.Get<ProjectResource>("router").EnvironmentAsync(builder.ExecutionContext);
            Assert.Equal("127.0.0.0/8,::1", environment["Router__AdminAllowList"]);
            Assert.Equal("none", environment["Router__TrustedProxies"]);
        }
        await using (var builder = await Infrastructure.AppHostFactory.CreateAsync(StackPresets.Monolith,
            "--Matrix:Router:AdminAllowList=10.8.0.0/16", "--Matrix:Router:TrustedProxies=10.0.0.0/8"))
        {
            var environment = await builder.Get<ProjectResource>("router").EnvironmentAsync(builder.ExecutionContext);
            Assert.Equal("10.8.0.0/16", environment["Router__AdminAllowList"]);
            Assert.Equal("10.0.0.0/8", environment["Router__TrustedProxies"]);
        }
    }

    [Fact]
    public async Task AnUnknownPresetStopsTheApphostNamingTheSetting() =>
        Infrastructure.AppHostProcess.AssertRefused(await Infrastructure.AppHostProcess.RunAsync("--Matrix:Preset=gigantic"), "Matrix:Preset: ");

    [Fact]
    public async Task EveryProblemOfSettingsImagesAndKubernetesIsListedAtOnceWithoutAStackTrace()
    {
        // Run mode: settings and images in one list (a typo no longer hides the bad image until the next run).
        var run = await Infrastructure.AppHostProcess.RunAsync("--Matrix:Preset=specialized",
            "--Matrix:Settings:workers.typing=2", "--Matrix:Settings:synapse.logLevel=LOUD", "--Matrix:Settings:database.maxConnections=100",
            "--Matrix:Images:synapse=not an image");
        Infrastructure.AppHostProcess.AssertRefused(run,
            "workers.typing: ", "synapse.logLevel: ", "database.maxConnections: 100 cannot hold this layout", "Matrix:Images:synapse: ");

        // Publishing: the Kubernetes settings join the same list.
        var publish = await Infrastructure.AppHostProcess.RunAsync("--Matrix:Preset=monolith", "--Matrix:Settings:synapse.logLevel=LOUD",
            "--operation", "publish", "--step", "publish-kubernetes", "--output-path", Path.Combine(Path.GetTempPath(), "matrix-refused-" + Guid.NewGuid().ToString("N")),
            "--Matrix:Kubernetes:VolumeSizes:postgres=lots", "--Matrix:Kubernetes:Ingress:Host=not a host");
        Infrastructure.AppHostProcess.AssertRefused(publish,
            "synapse.logLevel: ", "Matrix:Kubernetes:VolumeSizes:postgres: 'lots'", "Matrix:Kubernetes:Ingress:Host: ");
    }
}

internal static class WebClientsNames
{
    public const string SynapseAdmin = Clients.WebClientsExtensions.SynapseAdminResourceName;
}
