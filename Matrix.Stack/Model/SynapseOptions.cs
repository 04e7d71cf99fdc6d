namespace Matrix.Stack.Model;

/// <summary>Where Synapse processes live and listen, and where their files are inside the container.</summary>
public sealed class SynapseOptions
{
    /// <summary>
    /// Empty (the default): every process has its own host, named after it (<c>synapse-synchrotron-1</c>), as Aspire and
    /// Kubernetes services do, and all use <see cref="HttpPort"/> and <see cref="ReplicationPort"/>.
    /// A host name (<c>localhost</c>): every process shares it and gets its own ports from the port bases.
    /// </summary>
    public string InstanceHost { get; set; } = "";

    /// <summary>Prefix of per-instance host names: <c>synapse-main</c>, <c>synapse-synchrotron-1</c>.</summary>
    public string HostPrefix { get; set; } = "synapse-";

    public int HttpPort { get; set; } = 8008;

    public int ReplicationPort { get; set; } = 9093;

    /// <summary>First worker HTTP port when processes share one host.</summary>
    public int WorkerPortBase { get; set; } = 8101;

    /// <summary>First worker replication port when processes share one host.</summary>
    public int ReplicationPortBase { get; set; } = 9101;

    /// <summary>Per-instance port overrides: <c>ports.&lt;instance&gt;.http</c> and <c>ports.&lt;instance&gt;.replication</c>.</summary>
    public SortedDictionary<string, int> HttpPortOverrides { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, int> ReplicationPortOverrides { get; } = new(StringComparer.Ordinal);

    /// <summary>Folder of homeserver.yaml, worker files and log config inside the Synapse container.</summary>
    public string ConfigDirectory { get; set; } = "/data/config";

    /// <summary>Persistent folder (media store, working directory).</summary>
    public string DataDirectory { get; set; } = "/data";

    /// <summary>Folder of secret files (one secret per file); homeserver.yaml points at them with <c>*_path</c> options.</summary>
    public string SecretsDirectory { get; set; } = "/run/secrets/matrix";

    public string MediaStorePath { get; set; } = "/data/media_store";

    /// <summary>The media worker that runs media background jobs; defaults to the first media worker.</summary>
    public string? MediaBackgroundJobsInstance { get; set; }

    /// <summary>Python log level of every process.</summary>
    public string LogLevel { get; set; } = "INFO";

    public bool EnableRegistration { get; set; }

    /// <summary>
    /// Who may publish rooms to the room directory (<see cref="Synapse.RoomDirectoryRules"/>): localparts of this server or
    /// user-ID globs. Default: the account <c>admin</c>; empty: nobody.
    /// </summary>
    public List<string> RoomDirectoryPublishers { get; set; } = ["admin"];

    /// <summary>Synapse's own password login; null: on, unless MAS does the logins (then it must be off).</summary>
    public bool? PasswordLogin { get; set; }

    public string MaxUploadSize { get; set; } = "100M";

    /// <summary>Serve Prometheus metrics on a separate listener of every process.</summary>
    public bool EnableMetrics { get; set; } = true;

    /// <summary>The metrics port; when processes share one host, the first of a range (one port per process).</summary>
    public int MetricsPort { get; set; } = 9000;

    /// <summary>Networks of trusted reverse proxies (the router), honoured for X-Forwarded-For.</summary>
    public bool XForwarded { get; set; } = true;
}
