using Matrix.Stack.Catalog;
using Matrix.Stack.Layout;
using Matrix.Stack.Model;
using Matrix.Stack.Secrets;
using Matrix.Stack.Synapse;

namespace Matrix.Stack.Validation;

/// <summary>Checks a deployment description and reports every problem at once, each naming its setting.</summary>
public static class StackValidator
{
    private const int MaxPort = 65535;

    private static readonly string[] LogLevels = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];

    /// <param name="secrets">When given, every secret the deployment needs must be present and non-empty.</param>
    public static IReadOnlyList<ValidationProblem> Validate(StackOptions options, StackSecrets? secrets = null)
    {
        var problems = new List<ValidationProblem>();
        void Problem(string setting, string message) => problems.Add(new(setting, message));

        if (ServerNameRules.Check(options.ServerName) is { } serverNameError)
        {
            Problem("serverName", serverNameError);
        }
        CheckUrl(options.PublicBaseUrl, "publicBaseUrl", Problem);
        CheckUrl(options.FederationBaseUrl, "federationBaseUrl", Problem);
        CheckUrl(options.LiveKit.PublicUrl, "livekit.publicUrl", Problem, "ws", "wss", "http", "https");
        CheckUrl(options.LiveKit.JwtServicePublicUrl, "livekit.jwtServicePublicUrl", Problem);
        CheckUrl(options.ElementWeb.PublicUrl, "elementWeb.publicUrl", Problem);
        CheckUrl(options.S3.Enabled ? options.S3.Endpoint : null, "s3.endpoint", Problem);

        CheckWorkers(options, Problem);
        CheckPorts(SynapseLayout.Create(options), options.Synapse, Problem);
        CheckPortOverrides(options, Problem);
        if (options.S3.Enabled && S3EndpointRegion.Of(options.S3.Endpoint) is { } endpointRegion && endpointRegion != options.S3.Region)
        {
            Problem("s3.region", $"'{options.S3.Region}' differs from the region of s3.endpoint ({endpointRegion}): every request would be signed for the wrong region");
        }
        CheckMediaBackgroundJobs(options, Problem);
        foreach (var publisher in options.Synapse.RoomDirectoryPublishers)
        {
            if (RoomDirectoryRules.Check(publisher) is { } publisherError)
            {
                Problem(RoomDirectoryRules.Setting, publisherError);
            }
        }
        Mas.MasValidation.Check(options, Problem);

        if (!LogLevels.Contains(options.Synapse.LogLevel))
        {
            Problem("synapse.logLevel", $"'{options.Synapse.LogLevel}' is not one of {string.Join(", ", LogLevels)}");
        }
        if (options.Database.PoolMin > options.Database.PoolMax)
        {
            Problem("database.poolMin", $"{options.Database.PoolMin} is larger than database.poolMax ({options.Database.PoolMax})");
        }
        if (options.Database.MaxConnections is { } maxConnections && Wiring.DatabaseCapacity.Of(options) is { } capacity && capacity.Required > maxConnections)
        {
            Problem("database.maxConnections", $"{maxConnections} cannot hold this layout, which needs {capacity.Required} ({capacity.Explain()}): raise it, or lower database.poolMax");
        }
        if (options.Coturn.Enabled && options.Coturn.RelayPortMin > options.Coturn.RelayPortMax)
        {
            Problem("coturn.relayPortMin", $"{options.Coturn.RelayPortMin} is larger than coturn.relayPortMax ({options.Coturn.RelayPortMax})");
        }
        if (options.LiveKit.Enabled && options.LiveKit.RtcUdpPortStart > options.LiveKit.RtcUdpPortEnd)
        {
            Problem("livekit.rtcUdpPortStart", $"{options.LiveKit.RtcUdpPortStart} is larger than livekit.rtcUdpPortEnd ({options.LiveKit.RtcUdpPortEnd})");
        }
        if (options.LiveKit.Enabled && options.LiveKit.RedisHost == options.Redis.Host && options.LiveKit.RedisPort == options.Redis.Port)
        {
            Problem("livekit.redisHost", "LiveKit must not share Synapse's Redis (redis.host/redis.port): give it its own");
        }

        if (options.Coturn.Enabled)
        {
            // The default realm derives from the server name: an invalid server name is already reported.
            var realmProblem = options.Coturn.Realm is null && options.Coturn.PublicHost is null && ServerNameRules.Check(options.ServerName) is not null
                ? null
                : Coturn.CoturnConfigRenderer.ProblemWithRealm(options);
            foreach (var problem in new[] { Coturn.CoturnConfigRenderer.ProblemWithListenAddress(options), realmProblem }.OfType<string>())
            {
                var colon = problem.IndexOf(':');
                Problem(problem[..colon], problem[(colon + 2)..]);
            }
            if (secrets is not null && secrets.IsPresent(SecretName.TurnSharedSecret)
                && Coturn.CoturnConfigRenderer.ProblemWithSharedSecret(secrets.Reveal(SecretName.TurnSharedSecret)) is { } secretProblem)
            {
                Problem($"secrets.{SecretName.TurnSharedSecret}", secretProblem);
            }
        }

        if (secrets is not null)
        {
            foreach (var name in SecretName.RequiredFor(options).Where(name => !secrets.IsPresent(name)))
            {
                Problem($"secrets.{name}", $"is missing or empty (give it in the secrets file or as {StackSecrets.EnvironmentVariable(name)})");
            }
            if (secrets.IsPresent(SecretName.SigningKey) && SigningKeyFormat.Problem(secrets.Reveal(SecretName.SigningKey)) is { } keyProblem)
            {
                Problem($"secrets.{SecretName.SigningKey}", keyProblem);
            }
        }
        return problems;
    }

    /// <summary>Throws <see cref="StackValidationException"/> with every problem, if there is any.</summary>
    public static void EnsureValid(StackOptions options, StackSecrets? secrets = null)
    {
        var problems = Validate(options, secrets);
        if (problems.Count > 0)
        {
            throw new StackValidationException(problems);
        }
    }

    private static void CheckWorkers(StackOptions options, Action<string, string> problem)
    {
        var mainCount = options.Count(PoolType.Main);
        if (mainCount == 0)
        {
            problem("workers.main", "the main process is missing: every deployment has exactly one");
        }
        else if (mainCount > 1)
        {
            problem("workers.main", $"Synapse runs exactly one main process; got {mainCount}");
        }
        foreach (var (pool, count) in options.Workers.Where(w => w.Key != PoolType.Main))
        {
            var definition = WorkerCatalog.Get(pool);
            var setting = $"workers.{pool.Name()}";
            if (count < 0)
            {
                problem(setting, $"{count} is not a number of instances (0 or more)");
            }
            else if (count > 1 && !definition.AllowsMultipleInstances)
            {
                problem(setting, definition.Stream is { } stream
                    ? $"Synapse allows only one writer for the {stream.Name} stream; got {count}"
                    : $"Synapse allows only one {pool.Name()} instance; got {count}");
            }
        }
    }

    private static void CheckPorts(SynapseLayout layout, SynapseOptions synapse, Action<string, string> problem)
    {
        var owners = new Dictionary<(string Host, int Port), string>();
        var tooHigh = new HashSet<string>(StringComparer.Ordinal);
        foreach (var instance in layout.Instances)
        {
            var listeners = new List<(string Kind, int? Port)> { ("http", instance.HttpPort), ("replication", instance.ReplicationPort), ("metrics", instance.MetricsPort) };
            foreach (var (kind, port) in listeners)
            {
                if (port is not { } value)
                {
                    continue;
                }
                var owner = $"{instance.Name} ({kind})";
                if (value > MaxPort)
                {
                    var setting = synapse.HttpPortOverrides.ContainsKey(instance.Name) || synapse.ReplicationPortOverrides.ContainsKey(instance.Name)
                        ? $"ports.{instance.Name}.{kind}"
                        : kind switch { "http" => "synapse.workerPortBase", "replication" => "synapse.replicationPortBase", _ => "synapse.metricsPort" };
                    if (tooHigh.Add(setting))
                    {
                        // Once per setting: every later process of the layout is above the limit too.
                        problem(setting, $"{instance.Name} ({kind}) would listen on port {value}, above {MaxPort}: lower {setting} or the number of workers");
                    }
                    continue;
                }
                if (owners.TryGetValue((instance.Host, value), out var existing))
                {
                    problem($"ports.{instance.Name}.{kind}", $"port {value} on host '{instance.Host}' is already used by {existing}: two processes cannot listen on one port");
                }
                else
                {
                    owners[(instance.Host, value)] = owner;
                }
            }
        }
    }

    /// <summary><c>ports.&lt;instance&gt;</c> must name a process of the layout: a misspelt name would silently change nothing.</summary>
    private static void CheckPortOverrides(StackOptions options, Action<string, string> problem)
    {
        var names = SynapseLayout.Create(options).Instances.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (kind, overrides) in new[] { ("http", options.Synapse.HttpPortOverrides), ("replication", options.Synapse.ReplicationPortOverrides) })
        {
            foreach (var instance in overrides.Keys.Where(i => !names.Contains(i)))
            {
                problem($"ports.{instance}.{kind}", $"'{instance}' is not a process of this layout; processes: {string.Join(", ", names.Order(StringComparer.Ordinal))}");
            }
        }
    }

    private static void CheckMediaBackgroundJobs(StackOptions options, Action<string, string> problem)
    {
        var media = options.Count(PoolType.MediaRepository);
        var chosen = options.Synapse.MediaBackgroundJobsInstance;
        if (media == 0 || chosen is null)
        {
            return;
        }
        var names = Enumerable.Range(1, media).Select(i => SynapseLayout.InstanceName(PoolType.MediaRepository, i)).ToList();
        if (chosen.Length == 0)
        {
            problem("synapse.mediaBackgroundJobsInstance", $"media workers exist but no instance runs media background jobs; name one of: {string.Join(", ", names)}");
        }
        else if (!names.Contains(chosen))
        {
            problem("synapse.mediaBackgroundJobsInstance", $"'{chosen}' is not a media-repository instance; name one of: {string.Join(", ", names)}");
        }
    }

    /// <summary>A null <paramref name="url"/> is not set, so not checked; by default http and https are accepted.</summary>
    internal static void CheckUrl(string? url, string setting, Action<string, string> problem, params string[] schemes)
    {
        if (url is null)
        {
            return;
        }
        if (schemes.Length == 0)
        {
            schemes = ["http", "https"];
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !schemes.Contains(uri.Scheme))
        {
            problem(setting, $"'{url}' is not an absolute {string.Join("/", schemes)} URL");
        }
    }
}
