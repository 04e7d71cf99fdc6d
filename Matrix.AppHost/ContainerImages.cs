using Matrix.Stack.Validation;
using Microsoft.Extensions.Configuration;

namespace Matrix.AppHost;

/// <summary>
/// Every third-party image of the stack, pinned: one place, so an upgrade is one reviewed change. Each can be replaced by
/// configuration, <c>Matrix:Images:&lt;component&gt;</c> (a full reference such as <c>localhost/matrix-test/synapse:1.160</c>),
/// and the pull policy of all of them by <c>Matrix:Images:PullPolicy</c> (<c>Default</c>, <c>Always</c>, <c>Missing</c>,
/// <c>Never</c>): a machine without a registry runs the model unchanged on locally built images.
/// </summary>
public sealed class ContainerImages
{
    public const string Section = "Matrix:Images";
    public const string PullPolicyKey = "Matrix:Images:PullPolicy";

    /// <summary>The pinned defaults by component name (the names the override keys use).</summary>
    public static readonly IReadOnlyDictionary<string, ContainerImage> Pinned = new Dictionary<string, ContainerImage>(StringComparer.Ordinal)
    {
        // The Synapse config schema in ../shared is from this release.
        [Component.Synapse] = new("docker.io", "matrixdotorg/synapse", "v1.157.1"),
        // MinIO, the default S3 endpoint. The image also carries the `mc` client that creates the bucket.
        [Component.MinIO] = new("quay.io", "minio/minio", "RELEASE.2025-04-22T22-12-26Z"),
        [Component.LiveKit] = new("docker.io", "livekit/livekit-server", "v1.9.1"),
        [Component.LiveKitJwtService] = new("ghcr.io", "element-hq/lk-jwt-service", "0.3.0"),
        [Component.Coturn] = new("docker.io", "coturn/coturn", "4.6.3"),
        [Component.ElementWeb] = new("docker.io", "vectorim/element-web", "v1.11.100"),
        [Component.SynapseAdmin] = new("docker.io", "awesometechnologies/synapse-admin", "0.11.1"),
        // The release whose configuration schema ../shared/conformance/mas-config.schema.json follows (main after v1.22.0).
        [Component.Mas] = new("ghcr.io", "element-hq/matrix-authentication-service", "1.22.0"),
    };

    /// <summary>Components whose pinned image is the Aspire integration's own (Aspire.Hosting.PostgreSQL, .Redis); overridable too.</summary>
    public static readonly IReadOnlySet<string> IntegrationOwned = new HashSet<string>(StringComparer.Ordinal) { Component.Postgres, Component.Redis };

    /// <summary>synapse-s3-storage-provider, installed into the pinned Synapse image by <c>Synapse/synapse-s3.Dockerfile</c>.</summary>
    public const string S3StorageProviderVersion = "v1.5.0";

    private readonly IReadOnlyDictionary<string, ContainerImage> _overrides;

    private ContainerImages(IReadOnlyDictionary<string, ContainerImage> overrides, ImagePullPolicy pullPolicy)
    {
        _overrides = overrides;
        PullPolicy = pullPolicy;
    }

    public ImagePullPolicy PullPolicy { get; }

    /// <summary>The image of <paramref name="component"/>: the configured one, else the pinned default (null: the integration's own).</summary>
    public ContainerImage? this[string component] =>
        _overrides.TryGetValue(component, out var image) ? image
        : Pinned.TryGetValue(component, out var pinned) ? pinned
        : IntegrationOwned.Contains(component) ? null
        : throw new ArgumentException($"no image is known for component '{component}'", nameof(component));

    /// <summary>True when configuration replaced the pinned image (it is then used as it is, never rebuilt).</summary>
    public bool IsOverridden(string component) => _overrides.ContainsKey(component);

    /// <summary>Reads the overrides; every bad key or value is added to <paramref name="problems"/>, naming it.</summary>
    public static ContainerImages Read(IConfiguration configuration, ICollection<ValidationProblem> problems)
    {
        var overrides = new Dictionary<string, ContainerImage>(StringComparer.Ordinal);
        foreach (var entry in configuration.GetSection(Section).GetChildren().Where(entry => entry.Path != PullPolicyKey))
        {
            if (!Pinned.ContainsKey(entry.Key) && !IntegrationOwned.Contains(entry.Key))
            {
                problems.Add(new($"{Section}:{entry.Key}", $"no such component (known: {string.Join(", ", Pinned.Keys.Concat(IntegrationOwned).Order(StringComparer.Ordinal))})"));
            }
            else if (ContainerImage.TryParse(entry.Value, out var image))
            {
                overrides[entry.Key] = image;
            }
            else
            {
                problems.Add(new($"{Section}:{entry.Key}", $"'{entry.Value}' is not an image reference of the form registry/name:tag"));
            }
        }
        var pullPolicy = ImagePullPolicy.Default;
        if (configuration[PullPolicyKey] is { Length: > 0 } policy && !Enum.TryParse(policy, ignoreCase: true, out pullPolicy))
        {
            problems.Add(new(PullPolicyKey, $"'{policy}' is not one of {string.Join(", ", Enum.GetNames<ImagePullPolicy>())}"));
        }
        return new ContainerImages(overrides, pullPolicy);
    }

    /// <summary>The component names used as override keys.</summary>
    public static class Component
    {
        public const string Synapse = "synapse";
        public const string Postgres = "postgres";
        public const string Redis = "redis";
        public const string MinIO = "minio";
        public const string LiveKit = "livekit";
        public const string LiveKitJwtService = "lk-jwt-service";
        public const string Coturn = "coturn";
        public const string ElementWeb = "element-web";
        public const string SynapseAdmin = "synapse-admin";
        public const string Mas = "mas";
    }
}
