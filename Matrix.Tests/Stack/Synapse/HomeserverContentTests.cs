using System.Text.Json.Nodes;
using Matrix.Stack.Catalog;
using Matrix.Stack.Presets;
using Matrix.Stack.Secrets;
using Matrix.Stack.Settings;
using Matrix.Stack.Synapse;

namespace Matrix.Tests.Stack.Synapse;

/// <summary>What the shared file says for each option, checked on the parsed YAML.</summary>
public class HomeserverContentTests
{
    [Fact]
    public void AMonolithHasNoReplicationRedisOrWorkerSettings()
    {
        var rendered = RenderedSynapse.Of(StackPresets.Monolith);
        var hs = rendered.Homeserver;
        foreach (var option in new[] { "instance_map", "stream_writers", "redis", "worker_replication_secret_path", "federation_sender_instances", "pusher_instances", "run_background_tasks_on", "enable_media_repo" })
        {
            Assert.False(hs.ContainsKey(option), $"a monolith should not set {option}");
        }
        Assert.Empty(rendered.Workers);
        var listener = Assert.Single(rendered.Listeners("main"), l => l["type"]!.GetValue<string>() == "http");
        Assert.Equal([ListenerResource.Client, ListenerResource.Federation], RenderedSynapse.ResourceNames(listener));
        Assert.True(listener["x_forwarded"]!.GetValue<bool>());
    }

    [Fact]
    public void TheIdentityDatabaseAndRedisComeFromTheOptions()
    {
        var options = StackPresets.Create(StackPresets.Specialized);
        options.ServerName = "example.org";
        options.PublicBaseUrl = "https://matrix.example.org";
        options.Database.Host = "db.internal";
        options.Database.Port = 6543;
        options.Database.Name = "hs";
        options.Database.User = "hs_user";
        options.Database.PoolMin = 3;
        options.Database.PoolMax = 7;
        options.Redis.Host = "cache";
        options.Redis.Port = 6380;
        var hs = RenderedSynapse.Of(options).Homeserver;

        Assert.Equal("example.org", hs["server_name"]!.GetValue<string>());
        Assert.Equal("https://matrix.example.org/", hs["public_baseurl"]!.GetValue<string>());
        Assert.False(hs["report_stats"]!.GetValue<bool>());
        var database = hs["database"]!;
        Assert.Equal("psycopg2", database["name"]!.GetValue<string>());
        var args = database["args"]!.AsObject();
        Assert.Equal(["user", "dbname", "host", "port", "passfile", "cp_min", "cp_max"], args.Select(a => a.Key));
        Assert.Equal("hs_user", args["user"]!.GetValue<string>());
        Assert.Equal("hs", args["dbname"]!.GetValue<string>());
        Assert.Equal("db.internal", args["host"]!.GetValue<string>());
        Assert.Equal(6543, args["port"]!.GetValue<long>());
        Assert.Equal(3, args["cp_min"]!.GetValue<long>());
        Assert.Equal(7, args["cp_max"]!.GetValue<long>());
        Assert.Equal("/run/secrets/matrix/pgpass", args["passfile"]!.GetValue<string>());
        Assert.Equal("{\"enabled\":true,\"host\":\"cache\",\"port\":6380,\"password_path\":\"/run/secrets/matrix/redis_password\"}", hs["redis"]!.ToJsonString());
    }

    [Fact]
    public void SecretsAreReferencedByPathIntoTheSecretsDirectory()
    {
        var options = StackPresets.Create(StackPresets.OneOfEach);
        options.Synapse.SecretsDirectory = "/var/run/synapse-secrets/";
        options.Synapse.DataDirectory = "/srv/synapse";
        var hs = RenderedSynapse.Of(options).Homeserver;

        Assert.Equal("/var/run/synapse-secrets/macaroon_secret_key", hs["macaroon_secret_key_path"]!.GetValue<string>());
        Assert.Equal("/var/run/synapse-secrets/registration_shared_secret", hs["registration_shared_secret_path"]!.GetValue<string>());
        Assert.Equal("/var/run/synapse-secrets/form_secret", hs["form_secret_path"]!.GetValue<string>());
        Assert.Equal("/var/run/synapse-secrets/worker_replication_secret", hs["worker_replication_secret_path"]!.GetValue<string>());
        Assert.Equal("/var/run/synapse-secrets/turn_shared_secret", hs["turn_shared_secret_path"]!.GetValue<string>());
        // The signing key is a secret input like the others, not a file kept in the data folder.
        Assert.Equal("/var/run/synapse-secrets/signing_key", hs["signing_key_path"]!.GetValue<string>());
        Assert.Equal("/var/run/synapse-secrets/redis_password", hs["redis"]!["password_path"]!.GetValue<string>());
        foreach (var inline in new[] { "macaroon_secret_key", "registration_shared_secret", "form_secret", "worker_replication_secret", "turn_shared_secret", "turn_password", "signing_key" })
        {
            Assert.False(hs.ContainsKey(inline), $"{inline} must never be inline");
        }
        Assert.False(hs["redis"]!.AsObject().ContainsKey("password"), "redis.password must never be inline");
        Assert.False(hs["database"]!["args"]!.AsObject().ContainsKey("password"));
    }

    [Fact]
    public void TheS3ProviderIsConfiguredWithoutCredentialsOnlyWhenS3IsOn()
    {
        var options = StackPresets.Create(StackPresets.Specialized);
        options.S3.Endpoint = "https://s3.example.net";
        options.S3.Bucket = "media-bucket";
        options.S3.Region = "eu-west-3";
        options.S3.Prefix = "hs/";
        options.S3.StorageClass = "STANDARD_IA";
        var hs = RenderedSynapse.Of(options).Homeserver;

        var provider = Assert.Single(hs["media_storage_providers"]!.AsArray())!.AsObject();
        Assert.Equal(MediaStorageConfig.S3ProviderModule, provider["module"]!.GetValue<string>());
        Assert.True(provider["store_local"]!.GetValue<bool>());
        Assert.True(provider["store_remote"]!.GetValue<bool>());
        Assert.True(provider["store_synchronous"]!.GetValue<bool>());
        Assert.Equal(
            "{\"bucket\":\"media-bucket\",\"region_name\":\"eu-west-3\",\"endpoint_url\":\"https://s3.example.net\",\"prefix\":\"hs/\",\"storage_class\":\"STANDARD_IA\"}",
            provider["config"]!.ToJsonString());
        Assert.Equal("/data/media_store", hs["media_store_path"]!.GetValue<string>());
        Assert.Equal("100M", hs["max_upload_size"]!.GetValue<string>());

        options.S3.Enabled = false;
        Assert.False(RenderedSynapse.Of(options).Homeserver.ContainsKey("media_storage_providers"));
    }

    [Fact]
    public void WithoutSynapsesStorageProviderTheBucketIsTheJanitorsAlone()
    {
        var options = StackPresets.Create(StackPresets.Monolith);
        Assert.Empty(StackSettings.Apply(options, [new("s3.synapseStorageProvider", "false")]));

        Assert.False(RenderedSynapse.Of(options).Homeserver.ContainsKey("media_storage_providers"));
        Assert.Empty(SynapseSecrets.Environment(options));
        // The janitor still has its bucket and credentials.
        Assert.Contains(SecretName.S3SecretAccessKey, SecretName.RequiredFor(options));
    }

    [Fact]
    public void TurnAndMatrixRtcFollowTheirComponents()
    {
        var options = StackPresets.Create(StackPresets.Monolith);
        options.ServerName = "example.org:8448";
        options.Coturn.Port = 3479;
        options.Coturn.UserLifetime = "2h";
        var hs = RenderedSynapse.Of(options).Homeserver;
        Assert.Equal("[\"turn:turn.example.org:3479?transport=udp\",\"turn:turn.example.org:3479?transport=tcp\"]", hs["turn_uris"]!.ToJsonString());
        Assert.Equal("2h", hs["turn_user_lifetime"]!.GetValue<string>());
        Assert.Equal("{\"transports\":[{\"type\":\"livekit\",\"livekit_service_url\":\"https://livekit-jwt.example.org\"}]}", hs["matrix_rtc"]!.ToJsonString());

        options.Coturn.PublicHost = "relay.example.net";
        options.LiveKit.JwtServicePublicUrl = "https://rtc.example.net/jwt";
        hs = RenderedSynapse.Of(options).Homeserver;
        Assert.StartsWith("turn:relay.example.net:3479?", hs["turn_uris"]!.AsArray()[0]!.GetValue<string>());
        Assert.Equal("https://rtc.example.net/jwt", hs["matrix_rtc"]!["transports"]![0]!["livekit_service_url"]!.GetValue<string>());

        options.Coturn.Enabled = false;
        options.LiveKit.Enabled = false;
        hs = RenderedSynapse.Of(options).Homeserver;
        Assert.DoesNotContain(hs, p => p.Key.StartsWith("turn_", StringComparison.Ordinal));
        Assert.False(hs.ContainsKey("matrix_rtc"));
        Assert.False(hs.ContainsKey("max_event_delay_duration"));
    }

    [Fact]
    public void RegistrationIsClosedUnlessEnabledAndThenNeedsAToken()
    {
        var options = StackPresets.Create(StackPresets.Monolith);
        var hs = RenderedSynapse.Of(options).Homeserver;
        Assert.False(hs["enable_registration"]!.GetValue<bool>());
        Assert.False(hs.ContainsKey("registration_requires_token"));

        options.Synapse.EnableRegistration = true;
        hs = RenderedSynapse.Of(options).Homeserver;
        Assert.True(hs["enable_registration"]!.GetValue<bool>());
        Assert.True(hs["registration_requires_token"]!.GetValue<bool>());
        Assert.False(hs.ContainsKey("enable_registration_without_verification"));
    }

    [Fact]
    public void ProcessesSharingALoopbackHostBindLoopbackAndUseTheirOwnPorts()
    {
        var rendered = RenderedSynapse.Of(SynapseTestLayouts.LargeSharedHost);
        var instanceMap = rendered.Homeserver["instance_map"]!.AsObject();
        Assert.All(instanceMap, e => Assert.Equal("localhost", e.Value!["host"]!.GetValue<string>()));

        var listeners = rendered.Deployment.Layout.Instances.SelectMany(i => rendered.Listeners(i.Name)).ToList();
        // Metrics listeners bind one address: prometheus_client's server does not survive the second bind.
        Assert.All(listeners, l => Assert.Equal(IsMetrics(l) ? "[\"127.0.0.1\"]" : "[\"::1\",\"127.0.0.1\"]", l["bind_addresses"]!.ToJsonString()));
        var ports = listeners.Select(l => l["port"]!.GetValue<long>()).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
    }

    [Fact]
    public void ProcessesOnTheirOwnHostsBindEveryAddressOnTheSamePorts()
    {
        var rendered = RenderedSynapse.Of(StackPresets.Full);
        var listeners = rendered.Deployment.Layout.Instances.SelectMany(i => rendered.Listeners(i.Name)).ToList();
        Assert.All(listeners, l => Assert.Equal(IsMetrics(l) ? "[\"0.0.0.0\"]" : "[\"::\",\"0.0.0.0\"]", l["bind_addresses"]!.ToJsonString()));
        Assert.All(rendered.Homeserver["instance_map"]!.AsObject(), e => Assert.Equal("synapse-" + e.Key, e.Value!["host"]!.GetValue<string>()));
    }

    [Fact]
    public void PoolsThatServeNoRequestsGetAHealthOnlyListenerForProbes()
    {
        var rendered = RenderedSynapse.Of(StackPresets.Full);
        foreach (var pool in WorkerCatalog.All.Where(p => !p.ServesRequests && p.Type != PoolType.Main))
        {
            var worker = rendered.Deployment.Layout.InstancesOf(pool.Type)[0].Name;
            var publicListener = rendered.Listeners(worker)[0];
            Assert.Equal([ListenerResource.Health], RenderedSynapse.ResourceNames(publicListener));
            Assert.False(publicListener.ContainsKey("x_forwarded"));
        }
    }

    [Fact]
    public void EveryProcessLogsThroughTheGeneratedConsoleConfiguration()
    {
        var options = StackPresets.Create(StackPresets.Specialized);
        options.Synapse.LogLevel = "WARNING";
        var rendered = RenderedSynapse.Of(options);
        var logConfigPath = "/data/config/log_config.yaml";
        Assert.Equal(logConfigPath, rendered.Homeserver["log_config"]!.GetValue<string>());
        Assert.All(rendered.Workers.Values, w => Assert.Equal(logConfigPath, w["worker_log_config"]!.GetValue<string>()));

        var log = Schema.YamlJson.ParseObject(rendered.File(SynapsePaths.RenderedLogConfig).Content);
        Assert.Equal(1, log["version"]!.GetValue<long>());
        Assert.Equal("WARNING", log["root"]!["level"]!.GetValue<string>());
        Assert.Equal("[\"console\"]", log["root"]!["handlers"]!.ToJsonString());
        Assert.Equal("logging.StreamHandler", log["handlers"]!["console"]!["class"]!.GetValue<string>());
        Assert.Equal("INFO", log["loggers"]!["synapse.storage.SQL"]!["level"]!.GetValue<string>());
        Assert.False(log["disable_existing_loggers"]!.GetValue<bool>());
    }

    [Fact]
    public void TheLargePresetShardsEventsAcrossThreePersisters()
    {
        var hs = RenderedSynapse.Of(StackPresets.Large).Homeserver;
        Assert.Equal("[\"event-persister-1\",\"event-persister-2\",\"event-persister-3\"]", hs["stream_writers"]!["events"]!.ToJsonString());
        Assert.Equal("typing-1", hs["stream_writers"]!["typing"]!.GetValue<string>());
        Assert.IsType<JsonObject>(hs["instance_map"]!["event-persister-3"]);
    }

    private static bool IsMetrics(System.Text.Json.Nodes.JsonNode listener) => listener["type"]!.GetValue<string>() == "metrics";
}
