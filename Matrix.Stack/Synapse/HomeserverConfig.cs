using Matrix.Stack.Model;
using Matrix.Stack.Yaml;

namespace Matrix.Stack.Synapse;

/// <summary>
/// The shared <c>homeserver.yaml</c>: every process reads it, workers with their own file on top. Main takes all
/// its configuration from it. It references secrets only by path (<c>*_path</c> options, libpq's
/// <c>passfile</c>) or environment, so the file itself holds no secret value.
/// </summary>
public static class HomeserverConfig
{
    public static YamlMapping Build(MatrixDeployment deployment)
    {
        var options = deployment.Options;
        var synapse = options.Synapse;
        var paths = new SynapsePaths(synapse);
        var secretFiles = SynapseSecrets.Files(deployment);

        var config = new YamlMapping
        {
            { "server_name", options.ServerName },
            { "public_baseurl", options.EffectivePublicBaseUrl },
            // Synapse refuses to start without an explicit answer.
            { "report_stats", false },
            { "listeners", ListenerConfig.For(deployment.Layout.Main, deployment.Layout, synapse) },
            { "database", Database(options.Database, paths) },
        };
        if (SynapseSecrets.UsesRedis(deployment))
        {
            // Replication between processes goes through Redis pub/sub; a single process needs none.
            var password = secretFiles.Single(s => s.Section == SynapseSecrets.RedisSection);
            config.Add(SynapseSecrets.RedisSection, new YamlMapping
            {
                { "enabled", true },
                { "host", options.Redis.Host },
                { "port", options.Redis.Port },
                { password.PathOption, paths.Secret(password.SecretName) },
            });
        }
        WorkerDutiesConfig.AddTo(config, deployment);

        foreach (var secret in secretFiles.Where(s => s.Section is null))
        {
            config.Add(secret.PathOption, paths.Secret(secret.SecretName));
        }
        config.Add("trusted_key_servers", new List<object?> { new YamlMapping { { "server_name", "matrix.org" } } });
        config.Add("suppress_key_server_warning", true);

        config.Add("enable_registration", synapse.EnableRegistration);
        if (synapse.EnableRegistration)
        {
            // Open registration without any verification is refused by Synapse: require a registration token
            // (created through the admin API) rather than silently opening the server to anyone.
            config.Add("registration_requires_token", true);
        }

        config.Add("room_list_publication_rules", RoomDirectoryRules.Render(options));
        if (options.Mas.Enabled)
        {
            config.Add(Mas.MasSynapseConfig.SectionName, Mas.MasSynapseConfig.Section(options));
        }
        if (Mas.MasSynapseConfig.PasswordConfig(options) is { } passwordConfig)
        {
            config.Add(Mas.MasSynapseConfig.PasswordConfigName, passwordConfig);
        }

        MediaStorageConfig.AddTo(config, options);
        CallsConfig.AddTo(config, options);

        config.Add("enable_metrics", synapse.EnableMetrics);
        config.Add("log_config", paths.LogConfig);
        return config;
    }

    /// <summary>PostgreSQL through psycopg2; <c>cp_min</c>/<c>cp_max</c> size each process's pool.</summary>
    public static YamlMapping Database(DatabaseOptions database, SynapsePaths paths) => new()
    {
        { "name", "psycopg2" },
        {
            "args", new YamlMapping
            {
                { "user", database.User },
                { "dbname", database.Name },
                { "host", database.Host },
                { "port", database.Port },
                // libpq reads the password from this file (see PgPassFile): it is never inline.
                { "passfile", paths.PgPass },
                { "cp_min", database.PoolMin },
                { "cp_max", database.PoolMax },
            }
        },
    };
}
