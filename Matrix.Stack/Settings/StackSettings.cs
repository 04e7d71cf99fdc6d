using System.Globalization;
using Matrix.Stack.Catalog;
using Matrix.Stack.Model;
using Matrix.Stack.Validation;

namespace Matrix.Stack.Settings;

/// <summary>
/// Every adjustable setting by its dotted key (<c>workers.synchrotron</c>, <c>s3.bucket</c>...), the same keys a
/// JSON/YAML settings file nests. Unknown keys and bad values are problems naming the key, never ignored.
/// </summary>
public static class StackSettings
{
    private delegate string? Setter(StackOptions options, string value);

    private static readonly Dictionary<string, Setter> Fixed = new(StringComparer.Ordinal)
    {
        ["serverName"] = Text((o, v) => o.ServerName = v),
        ["publicBaseUrl"] = Text((o, v) => o.PublicBaseUrl = v),
        ["federationBaseUrl"] = Text((o, v) => o.FederationBaseUrl = v),

        ["synapse.instanceHost"] = Text((o, v) => o.Synapse.InstanceHost = v, allowEmpty: true),
        ["synapse.hostPrefix"] = Text((o, v) => o.Synapse.HostPrefix = v, allowEmpty: true),
        ["synapse.httpPort"] = Port((o, v) => o.Synapse.HttpPort = v),
        ["synapse.replicationPort"] = Port((o, v) => o.Synapse.ReplicationPort = v),
        ["synapse.workerPortBase"] = Port((o, v) => o.Synapse.WorkerPortBase = v),
        ["synapse.replicationPortBase"] = Port((o, v) => o.Synapse.ReplicationPortBase = v),
        ["synapse.metricsPort"] = Port((o, v) => o.Synapse.MetricsPort = v),
        ["synapse.enableMetrics"] = Flag((o, v) => o.Synapse.EnableMetrics = v),
        ["synapse.configDirectory"] = Text((o, v) => o.Synapse.ConfigDirectory = v),
        ["synapse.dataDirectory"] = Text((o, v) => o.Synapse.DataDirectory = v),
        ["synapse.secretsDirectory"] = Text((o, v) => o.Synapse.SecretsDirectory = v),
        ["synapse.mediaStorePath"] = Text((o, v) => o.Synapse.MediaStorePath = v),
        ["synapse.mediaBackgroundJobsInstance"] = Text((o, v) => o.Synapse.MediaBackgroundJobsInstance = v, allowEmpty: true),
        ["synapse.logLevel"] = Text((o, v) => o.Synapse.LogLevel = v),
        ["synapse.enableRegistration"] = Flag((o, v) => o.Synapse.EnableRegistration = v),
        ["synapse.roomDirectoryPublishers"] = Text((o, v) => o.Synapse.RoomDirectoryPublishers =
            [.. v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)], allowEmpty: true),
        ["synapse.maxUploadSize"] = Text((o, v) => o.Synapse.MaxUploadSize = v),
        ["synapse.xForwarded"] = Flag((o, v) => o.Synapse.XForwarded = v),

        ["database.host"] = Text((o, v) => o.Database.Host = v),
        ["database.port"] = Port((o, v) => o.Database.Port = v),
        ["database.name"] = Text((o, v) => o.Database.Name = v),
        ["database.user"] = Text((o, v) => o.Database.User = v),
        ["database.poolMin"] = Number((o, v) => o.Database.PoolMin = v, 1, 1000),
        ["database.poolMax"] = Number((o, v) => o.Database.PoolMax = v, 1, 1000),
        ["database.maxConnections"] = Number((o, v) => o.Database.MaxConnections = v, 10, 100_000),

        ["redis.host"] = Text((o, v) => o.Redis.Host = v),
        ["redis.port"] = Port((o, v) => o.Redis.Port = v),

        ["s3.enabled"] = Flag((o, v) => o.S3.Enabled = v),
        ["s3.endpoint"] = Text((o, v) => o.S3.Endpoint = v),
        ["s3.bucket"] = Text((o, v) => o.S3.Bucket = v),
        ["s3.region"] = Text((o, v) => o.S3.Region = v),
        ["s3.prefix"] = Text((o, v) => o.S3.Prefix = v, allowEmpty: true),
        ["s3.storageClass"] = Text((o, v) => o.S3.StorageClass = v.Length == 0 ? null : v, allowEmpty: true),
        ["s3.pathStyle"] = Flag((o, v) => o.S3.PathStyle = v),
        ["s3.synapseStorageProvider"] = Flag((o, v) => o.S3.SynapseStorageProvider = v),

        ["livekit.enabled"] = Flag((o, v) => o.LiveKit.Enabled = v),
        ["livekit.publicUrl"] = Text((o, v) => o.LiveKit.PublicUrl = v),
        ["livekit.jwtServicePublicUrl"] = Text((o, v) => o.LiveKit.JwtServicePublicUrl = v),
        ["livekit.httpPort"] = Port((o, v) => o.LiveKit.HttpPort = v),
        ["livekit.rtcTcpPort"] = Port((o, v) => o.LiveKit.RtcTcpPort = v),
        ["livekit.rtcUdpPortStart"] = Port((o, v) => o.LiveKit.RtcUdpPortStart = v),
        ["livekit.rtcUdpPortEnd"] = Port((o, v) => o.LiveKit.RtcUdpPortEnd = v),
        ["livekit.jwtServicePort"] = Port((o, v) => o.LiveKit.JwtServicePort = v),
        ["livekit.redisHost"] = Text((o, v) => o.LiveKit.RedisHost = v),
        ["livekit.redisPort"] = Port((o, v) => o.LiveKit.RedisPort = v),

        ["coturn.enabled"] = Flag((o, v) => o.Coturn.Enabled = v),
        ["coturn.publicHost"] = Text((o, v) => o.Coturn.PublicHost = v),
        ["coturn.realm"] = Text((o, v) => o.Coturn.Realm = v),
        ["coturn.listenAddress"] = Text((o, v) => o.Coturn.ListenAddress = v),
        ["coturn.port"] = Port((o, v) => o.Coturn.Port = v),
        ["coturn.relayPortMin"] = Port((o, v) => o.Coturn.RelayPortMin = v),
        ["coturn.relayPortMax"] = Port((o, v) => o.Coturn.RelayPortMax = v),
        ["coturn.userLifetime"] = Text((o, v) => o.Coturn.UserLifetime = v),

        ["elementWeb.enabled"] = Flag((o, v) => o.ElementWeb.Enabled = v),
        ["elementWeb.brand"] = Text((o, v) => o.ElementWeb.Brand = v),
        ["elementWeb.publicUrl"] = Text((o, v) => o.ElementWeb.PublicUrl = v),

        ["synapseAdmin.enabled"] = Flag((o, v) => o.SynapseAdmin.Enabled = v),

        ["synapse.passwordLogin"] = Flag((o, v) => o.Synapse.PasswordLogin = v),
        ["mas.enabled"] = Flag((o, v) => o.Mas.Enabled = v),
        ["mas.publicBaseUrl"] = Text((o, v) => o.Mas.PublicBaseUrl = v),
        ["mas.host"] = Text((o, v) => o.Mas.Host = v),
        ["mas.httpPort"] = Port((o, v) => o.Mas.HttpPort = v),
        ["mas.healthPort"] = Port((o, v) => o.Mas.HealthPort = v),
        ["mas.homeserverEndpoint"] = Text((o, v) => o.Mas.HomeserverEndpoint = v),
        ["mas.passwordRegistration"] = Flag((o, v) => o.Mas.PasswordRegistration = v),
        ["mas.database.host"] = Text((o, v) => o.Mas.DatabaseHost = v),
        ["mas.database.port"] = Port((o, v) => o.Mas.DatabasePort = v),
        ["mas.database.name"] = Text((o, v) => o.Mas.DatabaseName = v),
        ["mas.database.user"] = Text((o, v) => o.Mas.DatabaseUser = v),
    };

    /// <summary>Every fixed key, plus the patterns <c>workers.&lt;pool&gt;</c> and <c>ports.&lt;instance&gt;.http|replication</c>.</summary>
    public static IReadOnlyCollection<string> Keys => Fixed.Keys;

    /// <summary>Applies settings in order (later wins) and returns every problem; settings without problems are applied.</summary>
    public static IReadOnlyList<ValidationProblem> Apply(StackOptions options, IEnumerable<KeyValuePair<string, string>> settings)
    {
        var problems = new List<ValidationProblem>();
        foreach (var (key, value) in settings)
        {
            var error = ApplyOne(options, key, value.Trim());
            if (error is not null)
            {
                problems.Add(new ValidationProblem(key, error));
            }
        }
        return problems;
    }

    /// <summary>Parses <c>key=value</c> as given to <c>--set</c>.</summary>
    public static KeyValuePair<string, string>? ParseAssignment(string assignment)
    {
        var equals = assignment.IndexOf('=');
        return equals <= 0 ? null : new(assignment[..equals].Trim(), assignment[(equals + 1)..]);
    }

    private static string? ApplyOne(StackOptions options, string key, string value)
    {
        if (Fixed.TryGetValue(key, out var setter))
        {
            return setter(options, value);
        }
        var parts = key.Split('.');
        if (parts is ["workers", var poolName])
        {
            if (!PoolTypeNames.TryParse(poolName, out var pool))
            {
                return $"unknown pool type '{poolName}'; known: {string.Join(", ", PoolTypeNames.All)}";
            }
            return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                ? Applied(() => options.Workers[pool] = count)
                : $"'{value}' is not a whole number of instances";
        }
        if (parts is ["ports", var instance, var kind and ("http" or "replication")])
        {
            var overrides = kind == "http" ? options.Synapse.HttpPortOverrides : options.Synapse.ReplicationPortOverrides;
            return Port((_, port) => overrides[instance] = port)(options, value);
        }
        var suggestion = Fixed.Keys.Where(k => k.StartsWith(parts[0], StringComparison.Ordinal)).Take(6).ToList();
        return suggestion.Count > 0
            ? $"unknown setting; settings under '{parts[0]}': {string.Join(", ", suggestion)}..."
            : "unknown setting; see `matrix-stack settings` for the list";
    }

    private static Setter Text(Action<StackOptions, string> set, bool allowEmpty = false) => (o, v) =>
        allowEmpty || v.Length > 0 ? Applied(() => set(o, v)) : "must not be empty";

    private static Setter Flag(Action<StackOptions, bool> set) => (o, v) =>
        bool.TryParse(v, out var flag) ? Applied(() => set(o, flag)) : $"'{v}' is not true or false";

    private static Setter Number(Action<StackOptions, int> set, int min, int max) => (o, v) =>
        int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? Applied(() => set(o, n))
            : $"'{v}' is not a whole number from {min} to {max}";

    private static Setter Port(Action<StackOptions, int> set) => (o, v) =>
        int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? Applied(() => set(o, port))
            : $"'{v}' is not a port (1-65535)";

    // A value that parsed is set, and there is no problem to report.
    private static string? Applied(Action set)
    {
        set();
        return null;
    }
}
