using Matrix.AppHost.Data;
using Matrix.AppHost.Media;
using Matrix.AppHost.Secrets;
using Matrix.Stack.Layout;
using Matrix.Stack.Presets;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Tests.Model;

/// <summary>The model of every preset, as the AppHost builds it: resources, images, endpoints, start order, secrets.</summary>
public sealed class StackModelTests
{
    public static TheoryData<string> Presets => new(StackPresets.Names);

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task Every_synapse_process_of_the_layout_is_a_container_with_its_listeners(string preset)
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(preset);
        var layout = SynapseLayout.Create(StackPresets.Create(preset));

        var synapse = builder.Resources.OfType<ContainerResource>().Where(r => r.Name.StartsWith("synapse-", StringComparison.Ordinal)
            && r.Name != WebClientsNames.SynapseAdmin).Select(r => r.Name).Order(StringComparer.Ordinal);
        Assert.Equal(layout.Instances.Select(i => i.Host).Order(StringComparer.Ordinal), synapse);

        foreach (var instance in layout.Instances)
        {
            var container = builder.Get<ContainerResource>(instance.Host);
            Assert.Equal(instance.HttpPort, container.Endpoint("http").TargetPort);
            if (instance.ReplicationPort is { } replication)
            {
                Assert.Equal(replication, container.Endpoint("replication").TargetPort);
            }
            // The Synapse image is pinned, extended with the S3 storage provider (S3 media is on in every preset).
            var build = container.Annotations.OfType<DockerfileBuildAnnotation>().Single();
            Assert.Equal(ContainerImages.Synapse.Reference, build.BuildArguments["SYNAPSE_IMAGE"]);
            Assert.Contains(container.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key.Length > 0);
        }
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task Database_comes_before_main_and_main_before_every_worker_and_the_router(string preset)
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
    public async Task Postgres_creates_the_synapse_database_with_the_C_collation_in_both_modes()
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
    public async Task Synapse_and_LiveKit_have_two_separate_redis()
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(StackPresets.Full);
        Assert.Equal(new[] { "livekit-redis", "redis" }, builder.Resources.OfType<RedisResource>().Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Contains("livekit-redis", builder.Get<ContainerResource>("livekit").WaitsFor());
    }

    [Fact]
    public async Task Every_secret_is_a_secret_parameter_and_reaches_synapse_only_as_a_secret_variable()
    {
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(StackPresets.Specialized);
        var parameters = builder.Resources.OfType<ParameterResource>().ToDictionary(p => p.Name);
        foreach (var name in SecretName.RequiredFor(StackPresets.Create(StackPresets.Specialized)).Select(MatrixSecrets.ParameterName)
                     .Concat(["synapse-signing-key", "redis-password", "livekit-redis-password"]))
        {
            Assert.True(parameters[name].Secret, $"parameter {name} must be secret");
        }

        var main = builder.Get<ContainerResource>("synapse-main");
        var environment = await main.EnvironmentAsync(builder.ExecutionContext);
        var macaroon = environment.Parameter(MatrixSecrets.EnvironmentVariable(SecretName.MacaroonSecretKey));
        Assert.Equal("macaroon-secret-key", macaroon.Name);
        Assert.True(macaroon.Secret);
        Assert.Equal("postgres-password", environment.Parameter("PGPASSWORD").Name);
        Assert.Equal("synapse-signing-key", environment.Parameter(MatrixSecrets.EnvironmentVariable("signing_key")).Name);
        Assert.DoesNotContain(MatrixSecrets.EnvironmentVariable(SecretName.LiveKitApiSecret), environment.Keys);
    }

    [Fact]
    public async Task Worker_processes_run_their_worker_app_with_their_own_worker_file()
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
    public async Task The_media_janitor_reads_synapse_database_and_the_bucket()
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
    public async Task An_unknown_preset_stops_the_apphost_naming_the_setting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Infrastructure.AppHostFactory.CreateAsync("gigantic"));
        Assert.Contains("Matrix:Preset", error.ToString(), StringComparison.Ordinal);
    }
}

internal static class WebClientsNames
{
    public const string SynapseAdmin = Clients.WebClientsExtensions.SynapseAdminResourceName;
}
