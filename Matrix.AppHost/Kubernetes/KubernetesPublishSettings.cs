using System.Globalization;
using Matrix.Stack.Catalog;
using Matrix.Stack.Layout;
using Matrix.Stack.Validation;
using Microsoft.Extensions.Configuration;

namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// What the Kubernetes output needs that the model cannot know: where the images of the .NET projects and of locally
/// built containers live, an external PostgreSQL, the public host of the Ingress, the router's trust settings behind
/// it, and the size of the persistent volumes. Read from <c>Matrix:Kubernetes:*</c>; every bad value is named.
/// </summary>
public sealed record KubernetesPublishSettings
{
    public const string Section = "Matrix:Kubernetes";

    /// <summary>Image of a .NET project (<c>router</c>, <c>media-janitor</c>) or a Dockerfile-built container (by the Dockerfile's name, <c>synapse-s3</c>).</summary>
    public IReadOnlyDictionary<string, string> Images { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Host of an external PostgreSQL (a CNPG cluster's <c>-rw</c> Service, a managed server); null: the stack's own StatefulSet.</summary>
    public string? ExternalPostgres { get; init; }

    /// <summary>The Ingress host; null: the host of the public base URL.</summary>
    public string? IngressHost { get; init; }

    /// <summary>The Ingress class; null: the cluster's default class.</summary>
    public string? IngressClassName { get; init; }

    /// <summary>A TLS Secret (kubernetes.io/tls) for the Ingress host; null: no TLS section (terminated elsewhere).</summary>
    public string? IngressTlsSecret { get; init; }

    /// <summary>A Gateway API Gateway the router's HTTPRoute attaches to, instead of an Ingress; null: an Ingress.</summary>
    public string? GatewayName { get; init; }

    /// <summary>The Gateway's namespace when it is not the deployment's (its listener must then allow routes from here).</summary>
    public string? GatewayNamespace { get; init; }

    /// <summary>One listener of the Gateway (its name); null: every listener that accepts the route.</summary>
    public string? GatewaySectionName { get; init; }

    /// <summary>Networks whose X-Forwarded-For the router believes: the ingress controller's pods. Default: the private ranges pod networks use.</summary>
    public string RouterTrustedProxies { get; init; } = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fd00::/8";

    /// <summary>Networks allowed on the admin API through the router. Default: loopback only (<c>kubectl port-forward</c>).</summary>
    public string RouterAdminAllowList { get; init; } = "127.0.0.0/8,::1/128";

    /// <summary>Size of each volume claim a stateful container (PostgreSQL, MinIO) gets, by resource name.</summary>
    public IReadOnlyDictionary<string, string> VolumeSizes { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public const string DefaultVolumeSize = "20Gi";

    /// <summary>
    /// The most pods each scalable Synapse pool (<see cref="PoolDefinition.ScalesWithoutNewConfig"/>) is meant to run,
    /// by pool name (<c>MaxReplicas:synchrotron=8</c>): PostgreSQL's connections are sized for it, and an autoscaler
    /// goes no higher. Default: <see cref="DefaultMaxReplicasFactor"/> times the layout's count.
    /// </summary>
    public IReadOnlyDictionary<string, int> MaxReplicas { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);

    public const int DefaultMaxReplicasFactor = 2;

    /// <summary>
    /// A HorizontalPodAutoscaler (autoscaling/v2) for each scalable pool, from the layout's count to the pool's maximum,
    /// at <see cref="AutoscalingCpuUtilization"/>; off by default (the operator scales with <c>kubectl scale</c>).
    /// </summary>
    public bool Autoscaling { get; init; }

    /// <summary>The average CPU use, in percent of the pods' CPU request, the autoscaler keeps each pool at.</summary>
    public int AutoscalingCpuUtilization { get; init; } = DefaultAutoscalingCpuUtilization;

    public const int DefaultAutoscalingCpuUtilization = 70;

    /// <summary>The most pods of <paramref name="pool"/>; a pool Synapse's config names instance by instance has exactly its layout's <paramref name="count"/>.</summary>
    public int MaxReplicasOf(PoolDefinition pool, int count) =>
        !pool.ScalesWithoutNewConfig ? count : MaxReplicas.TryGetValue(pool.Name, out var max) ? max : DefaultMaxReplicasFactor * count;

    /// <summary>
    /// The checks that need the deployment: a maximum below the layout's count, or for a pool the layout lacks, and a
    /// stated <c>database.maxConnections</c> that cannot hold every pod the scalable pools may run.
    /// </summary>
    public void CheckAgainst(Matrix.Stack.Model.MatrixDeployment deployment, ICollection<ValidationProblem> problems)
    {
        var layout = deployment.Layout;
        foreach (var (pool, max) in MaxReplicas)
        {
            var count = layout.InstancesOf(PoolTypeNames.Parse(pool)).Count;
            if (count == 0)
            {
                problems.Add(new($"{Section}:MaxReplicas:{pool}", $"the layout has no {pool} pool"));
            }
            else if (max < count)
            {
                problems.Add(new($"{Section}:MaxReplicas:{pool}", $"{max} is fewer than the layout's {count} (workers.{pool})"));
            }
        }
        var database = deployment.Options.Database;
        var capacity = Matrix.Stack.Wiring.DatabaseCapacity.Of(deployment.Options).WithMoreSynapseProcesses(MorePodsThanTheLayout(layout), database.PoolMax);
        if (database.MaxConnections is { } limit && capacity.Required > limit)
        {
            problems.Add(new($"{Section}:MaxReplicas", $"database.maxConnections {limit} cannot hold every pod the scalable pools may run, which needs {capacity.Required} ({capacity.Explain()}): lower the maximums or raise database.maxConnections"));
        }
    }

    /// <summary>How many pods the scalable pools may run beyond the layout's count, each with its own database pool.</summary>
    public int MorePodsThanTheLayout(SynapseLayout layout) =>
        layout.Workers.GroupBy(i => i.PoolType).Sum(pool => MaxReplicasOf(WorkerCatalog.Get(pool.Key), pool.Count()) - pool.Count());

    /// <summary>The image of <paramref name="key"/>: configured, else <c>matrix-&lt;key&gt;:latest</c> (what the documented build commands tag).</summary>
    public string ImageFor(string key) => Images.TryGetValue(key, out var image) ? image : $"matrix-{key}:latest";

    public string VolumeSizeFor(string resource) => VolumeSizes.TryGetValue(resource, out var size) ? size : DefaultVolumeSize;

    /// <summary>Reads the settings; every bad value is added to <paramref name="problems"/>, naming its key.</summary>
    public static KubernetesPublishSettings Read(IConfiguration configuration, ICollection<ValidationProblem> problems)
    {
        var section = configuration.GetSection(Section);
        var images = section.GetSection("Images").GetChildren()
            .ToDictionary(entry => entry.Key, entry => entry.Value ?? "", StringComparer.Ordinal);
        foreach (var (key, image) in images.Where(entry => entry.Value.Length == 0 || entry.Value.Any(char.IsWhiteSpace)))
        {
            problems.Add(new($"{Section}:Images:{key}", $"'{image}' is not an image reference"));
        }
        var sizes = section.GetSection("VolumeSizes").GetChildren()
            .ToDictionary(entry => entry.Key, entry => entry.Value ?? "", StringComparer.Ordinal);
        foreach (var (resource, size) in sizes.Where(entry => !IsQuantity(entry.Value)))
        {
            problems.Add(new($"{Section}:VolumeSizes:{resource}", $"'{size}' is not a Kubernetes quantity such as 20Gi"));
        }
        var maxReplicas = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in section.GetSection("MaxReplicas").GetChildren())
        {
            var key = $"{Section}:MaxReplicas:{entry.Key}";
            if (!PoolTypeNames.TryParse(entry.Key, out var type) || !WorkerCatalog.Get(type).ScalesWithoutNewConfig)
            {
                var scalable = WorkerCatalog.All.Where(p => p.ScalesWithoutNewConfig).Select(p => p.Name);
                problems.Add(new(key, $"'{entry.Key}' is not a pool that scales without re-publishing ({string.Join(", ", scalable)}); the others are named in Synapse's shared config"));
            }
            else if (!int.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var max) || max < 1)
            {
                problems.Add(new(key, $"'{entry.Value}' is not a whole number of pods of at least 1"));
            }
            else
            {
                maxReplicas[entry.Key] = max;
            }
        }
        var autoscaling = false;
        if (Optional(section["Autoscaling:Enabled"]) is { } enabled && !bool.TryParse(enabled, out autoscaling))
        {
            problems.Add(new($"{Section}:Autoscaling:Enabled", $"'{enabled}' is not true or false"));
        }
        var utilization = DefaultAutoscalingCpuUtilization;
        if (Optional(section["Autoscaling:CpuUtilization"]) is { } target
            && (!int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out utilization) || utilization is < 1 or > 100))
        {
            problems.Add(new($"{Section}:Autoscaling:CpuUtilization", $"'{target}' is not a whole percentage from 1 to 100 (of the pods' CPU request)"));
        }
        var external = Optional(section["ExternalPostgres"]);
        if (external is not null && Uri.CheckHostName(external) is UriHostNameType.Unknown)
        {
            problems.Add(new($"{Section}:ExternalPostgres", $"'{external}' is not a host name (give the host only; the port is database.port)"));
        }
        var ingressHost = Optional(section["Ingress:Host"]);
        if (ingressHost is not null && Uri.CheckHostName(ingressHost) is not UriHostNameType.Dns)
        {
            problems.Add(new($"{Section}:Ingress:Host", $"'{ingressHost}' is not a DNS name"));
        }
        var gatewayName = Optional(section["Gateway:Name"]);
        var gatewayNamespace = Optional(section["Gateway:Namespace"]);
        var gatewaySection = Optional(section["Gateway:SectionName"]);
        // The Gateway API's own patterns: object names and listener names are DNS subdomains (253), namespaces labels (63).
        CheckDnsName(problems, "Gateway:Name", gatewayName, 253, subdomain: true);
        CheckDnsName(problems, "Gateway:Namespace", gatewayNamespace, 63, subdomain: false);
        CheckDnsName(problems, "Gateway:SectionName", gatewaySection, 253, subdomain: true);
        if (gatewayName is null)
        {
            foreach (var key in new[] { "Gateway:Namespace", "Gateway:SectionName" }.Where(key => Optional(section[key]) is not null))
            {
                problems.Add(new($"{Section}:{key}", $"only applies with {Section}:Gateway:Name (the Gateway the HTTPRoute attaches to)"));
            }
        }
        else
        {
            foreach (var key in new[] { "Ingress:ClassName", "Ingress:TlsSecret" }.Where(key => Optional(section[key]) is not null))
            {
                problems.Add(new($"{Section}:{key}", $"has no meaning with {Section}:Gateway:Name: the Gateway's listeners carry the class and TLS"));
            }
        }
        var defaults = new KubernetesPublishSettings();
        return new KubernetesPublishSettings
        {
            Images = images,
            ExternalPostgres = external,
            IngressHost = ingressHost,
            IngressClassName = Optional(section["Ingress:ClassName"]),
            IngressTlsSecret = Optional(section["Ingress:TlsSecret"]),
            RouterTrustedProxies = Optional(section["Router:TrustedProxies"]) ?? defaults.RouterTrustedProxies,
            RouterAdminAllowList = Optional(section["Router:AdminAllowList"]) ?? defaults.RouterAdminAllowList,
            VolumeSizes = sizes,
            MaxReplicas = maxReplicas,
            GatewayName = gatewayName,
            GatewayNamespace = gatewayNamespace,
            GatewaySectionName = gatewaySection,
            Autoscaling = autoscaling,
            AutoscalingCpuUtilization = utilization,
        };
    }

    private static void CheckDnsName(ICollection<ValidationProblem> problems, string key, string? value, int maxLength, bool subdomain)
    {
        if (value is null)
        {
            return;
        }
        var labels = value.Split('.');
        var valid = value.Length <= maxLength && (subdomain || labels.Length == 1)
            && labels.All(label => label.Length is > 0 and <= 63 && (char.IsAsciiLetterLower(label[0]) || char.IsAsciiDigit(label[0]))
                && label[^1] != '-' && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'));
        if (!valid)
        {
            problems.Add(new($"{Section}:{key}", $"'{value}' is not a Kubernetes {(subdomain ? "name" : "namespace")} (lower-case a-z, 0-9, '-'{(subdomain ? ", '.'" : "")}; at most {maxLength} characters)"));
        }
    }

    private static bool IsQuantity(string value)
    {
        try
        {
            _ = new k8s.Models.ResourceQuantity(value).ToDecimal();
            return value.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
