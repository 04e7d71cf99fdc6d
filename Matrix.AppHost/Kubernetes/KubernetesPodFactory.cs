using System.Globalization;
using k8s.Models;
using Matrix.AppHost.Files;

namespace Matrix.AppHost.Kubernetes;

/// <summary>
/// The pod of one compute resource: its container (image, command, arguments, environment, ports, probes, requests and
/// limits) and its volumes: generated files from a ConfigMap, secret files projected from the operator's Secrets
/// (mode 0400, group-readable by the container user through <c>fsGroup</c>), the shared media claim, and one claim per
/// data volume of a stateful container.
/// </summary>
public sealed class KubernetesPodFactory(
    DistributedApplicationExecutionContext executionContext, KubernetesPublishSettings settings, CancellationToken cancellationToken)
{
    // Callbacks run knowing they are evaluated for the Kubernetes output (KubernetesEnvironmentResource.PublisherName).
    private readonly DistributedApplicationExecutionContext _context = new(
        new DistributedApplicationExecutionContextOptions(DistributedApplicationOperation.Publish, KubernetesEnvironmentResource.PublisherName)
        {
            Services = executionContext.Services,
        });

    private const int ConfigFileMode = 0x124; // 0444
    private const int SecretFileMode = 0x100; // 0400

    /// <summary>The pod template, the ConfigMaps it mounts and the claim templates a StatefulSet must create.</summary>
    public sealed record Pod(V1PodTemplateSpec Template, IReadOnlyList<V1ConfigMap> ConfigMaps, IReadOnlyList<V1PersistentVolumeClaim> ClaimTemplates);

    public async Task<Pod> CreateAsync(IResource resource, WorkloadKindAnnotation? kind, int? sharedClaimOwner)
    {
        var container = new V1Container
        {
            Name = resource.Name,
            Image = ImageOf(resource),
            ImagePullPolicy = PullPolicy(resource),
            Env = [],
            VolumeMounts = [],
        };
        var volumes = new List<V1Volume>();
        var configMaps = new List<V1ConfigMap>();
        var claimTemplates = new List<V1PersistentVolumeClaim>();
        var translator = new KubernetesValueTranslator(resource, cancellationToken);

        if (resource is ContainerResource { Entrypoint: { Length: > 0 } entrypoint })
        {
            container.Command = [KubernetesValueTranslator.Literal(entrypoint)];
        }
        var arguments = await ArgumentsAsync(resource, translator);
        arguments.AddRange((kind?.ExtraArguments ?? []).Select(KubernetesValueTranslator.Literal));
        container.Args = NullIfEmpty(arguments);

        var environment = new List<V1EnvVar>();
        foreach (var (name, value) in await EnvironmentAsync(resource))
        {
            environment.Add(await translator.EnvironmentVariableAsync(name, value));
        }
        // Variables a value expands ($(MATRIX_SECRET_...)) must be declared before it.
        container.Env = NullIfEmpty([.. translator.SecretVariables, .. environment]);

        var runsToCompletion = kind is not null;
        if (!runsToCompletion)
        {
            container.Ports = NullIfEmpty(resource.Annotations.OfType<EndpointAnnotation>()
                .Select(endpoint => new V1ContainerPort
                {
                    Name = KubernetesPorts.Name(endpoint),
                    ContainerPort = KubernetesPorts.Of(endpoint, resource),
                    Protocol = KubernetesPorts.Protocol(endpoint),
                })
                .ToList());
            (container.StartupProbe, container.ReadinessProbe, container.LivenessProbe) = KubernetesProbes.Of(resource);
        }

        if (resource.Annotations.OfType<KubernetesSizingAnnotation>().LastOrDefault() is { Sizing: var sizing })
        {
            container.Resources = KubernetesSizingAnnotation.Requirements(sizing);
        }

        AddGeneratedFiles(resource, container, volumes, configMaps);
        var fsGroup = AddSecretFiles(resource, container, volumes);
        var sharedClaims = AddSharedClaims(resource, container, volumes);
        AddDataVolumes(resource, container, claimTemplates);

        var podSecurity = (long?)fsGroup;
        var runAs = (long?)null;
        if (sharedClaims && podSecurity is null && sharedClaimOwner is { } owner)
        {
            // A pod that only shares the media claim (the janitor) runs as the user that writes it, so it can delete files.
            podSecurity = owner;
            runAs = owner;
        }

        var spec = new V1PodSpec
        {
            Containers = [container],
            Volumes = NullIfEmpty(volumes),
            // Service links would add a *_PORT variable for every Service (POSTGRES_PORT, REDIS_PORT...), which images read as settings.
            EnableServiceLinks = false,
            RestartPolicy = runsToCompletion ? "OnFailure" : null,
            SecurityContext = podSecurity is null ? null : new V1PodSecurityContext { FsGroup = podSecurity, RunAsUser = runAs, RunAsGroup = runAs },
        };
        var template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = KubernetesLabels.Of(resource) },
            Spec = spec,
        };
        return new Pod(template, configMaps, claimTemplates);
    }

    /// <summary>The image the resource's pods run (an override from <c>Matrix:Kubernetes:Images</c> for projects and built images).</summary>
    public string ImageOf(IResource resource)
    {
        if (resource is ProjectResource)
        {
            return settings.ImageFor(resource.Name);
        }
        if (resource.Annotations.OfType<DockerfileBuildAnnotation>().LastOrDefault() is { } build)
        {
            return settings.ImageFor(Path.GetFileNameWithoutExtension(build.DockerfilePath));
        }
        var image = resource.Annotations.OfType<ContainerImageAnnotation>().LastOrDefault()
            ?? throw new InvalidOperationException($"{resource.Name} has no image");
        var name = image.Registry is { Length: > 0 } registry ? $"{registry}/{image.Image}" : image.Image;
        return image.SHA256 is { Length: > 0 } digest ? $"{name}@sha256:{digest}" : $"{name}:{image.Tag ?? "latest"}";
    }

    // An empty list would be written as `[]`; the pod spec leaves the field out instead.
    private static List<T>? NullIfEmpty<T>(List<T> items) => items.Count > 0 ? items : null;

    private static string? PullPolicy(IResource resource) =>
        resource.Annotations.OfType<ContainerImagePullPolicyAnnotation>().LastOrDefault()?.ImagePullPolicy switch
        {
            ImagePullPolicy.Always => "Always",
            ImagePullPolicy.Missing => "IfNotPresent",
            ImagePullPolicy.Never => "Never",
            _ => null,
        };

    private async Task<List<string>> ArgumentsAsync(IResource resource, KubernetesValueTranslator translator)
    {
        var values = new List<object>();
        var context = new CommandLineArgsCallbackContext(values, resource, cancellationToken) { ExecutionContext = _context };
        foreach (var annotation in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await annotation.Callback(context);
        }
        var arguments = new List<string>();
        foreach (var value in values)
        {
            arguments.Add(await translator.ArgumentAsync(value));
        }
        return arguments;
    }

    private async Task<Dictionary<string, object>> EnvironmentAsync(IResource resource)
    {
        var variables = new Dictionary<string, object>(StringComparer.Ordinal);
        var context = new EnvironmentCallbackContext(_context, resource, variables, cancellationToken);
        foreach (var annotation in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await annotation.Callback(context);
        }
        return variables;
    }

    // Config files: one ConfigMap per delivered directory, keys without '/' mapped back to their paths.
    private static void AddGeneratedFiles(IResource resource, V1Container container, List<V1Volume> volumes, List<V1ConfigMap> configMaps)
    {
        var annotations = resource.Annotations.OfType<GeneratedFilesAnnotation>().ToList();
        for (var index = 0; index < annotations.Count; index++)
        {
            var files = annotations[index];
            var name = index == 0 ? $"{resource.Name}-config" : $"{resource.Name}-config-{index + 1}";
            var volumeName = index == 0 ? "config" : $"config-{index + 1}";
            configMaps.Add(new V1ConfigMap
            {
                ApiVersion = "v1",
                Kind = V1ConfigMap.KubeKind,
                Metadata = new V1ObjectMeta { Name = name, Labels = KubernetesLabels.Of(resource) },
                Data = files.Files.ToDictionary(file => file.ConfigMapKey, file => file.Contents, StringComparer.Ordinal),
            });
            volumes.Add(new V1Volume
            {
                Name = volumeName,
                ConfigMap = new V1ConfigMapVolumeSource
                {
                    Name = name,
                    DefaultMode = ConfigFileMode,
                    Items = files.Files.Select(file => new V1KeyToPath { Key = file.ConfigMapKey, Path = file.RelativePath }).ToList(),
                },
            });
            if (files.BesideImageFiles)
            {
                // A directory mount would hide the image's own files (Element's web root): each file on its own.
                foreach (var file in files.Files)
                {
                    container.VolumeMounts.Add(new V1VolumeMount
                    {
                        Name = volumeName, MountPath = $"{files.Directory.TrimEnd('/')}/{file.RelativePath}", SubPath = file.RelativePath, ReadOnlyProperty = true,
                    });
                }
            }
            else
            {
                container.VolumeMounts.Add(new V1VolumeMount { Name = volumeName, MountPath = files.Directory, ReadOnlyProperty = true });
            }
        }
    }

    // Secret files: a projected volume of the operator's Secrets, one key per file; returns the fsGroup that lets the owner read them.
    private static int? AddSecretFiles(IResource resource, V1Container container, List<V1Volume> volumes)
    {
        var annotations = resource.Annotations.OfType<SecretFilesAnnotation>().ToList();
        int? fsGroup = null;
        for (var index = 0; index < annotations.Count; index++)
        {
            var files = annotations[index];
            var volumeName = index == 0 ? "secrets" : $"secrets-{index + 1}";
            var sources = files.Secrets
                .Select(file => (Reference: KubernetesSecrets.For(file.Parameter.Resource), file.FileName))
                .GroupBy(entry => entry.Reference.Secret, StringComparer.Ordinal)
                .OrderBy(group => group.Key, StringComparer.Ordinal)
                .Select(group => new V1VolumeProjection
                {
                    Secret = new V1SecretProjection
                    {
                        Name = group.Key,
                        Items = group.Select(entry => new V1KeyToPath { Key = entry.Reference.Key, Path = entry.FileName }).ToList(),
                    },
                })
                .ToList();
            volumes.Add(new V1Volume { Name = volumeName, Projected = new V1ProjectedVolumeSource { DefaultMode = SecretFileMode, Sources = sources } });
            container.VolumeMounts.Add(new V1VolumeMount { Name = volumeName, MountPath = files.Directory, ReadOnlyProperty = true });
            if (files.Owner != 0)
            {
                if (fsGroup is { } other && other != files.Owner)
                {
                    throw new InvalidOperationException($"{resource.Name}: secret files owned by {other} and {files.Owner}; one pod has one fsGroup");
                }
                fsGroup = files.Owner;
            }
        }
        return fsGroup;
    }

    private static bool AddSharedClaims(IResource resource, V1Container container, List<V1Volume> volumes)
    {
        var claims = resource.Annotations.OfType<SharedClaimAnnotation>().ToList();
        foreach (var claim in claims)
        {
            volumes.Add(new V1Volume { Name = claim.ClaimName, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim.ClaimName } });
            container.VolumeMounts.Add(new V1VolumeMount { Name = claim.ClaimName, MountPath = claim.MountPath });
        }
        return claims.Count > 0;
    }

    // Named volumes (PostgreSQL's data, MinIO's data) become claim templates of a StatefulSet; a host bind mount has no meaning in a cluster.
    private void AddDataVolumes(IResource resource, V1Container container, List<V1PersistentVolumeClaim> claimTemplates)
    {
        foreach (var mount in resource.Annotations.OfType<ContainerMountAnnotation>())
        {
            if (mount.Type != ContainerMountType.Volume)
            {
                throw new InvalidOperationException($"{resource.Name}: the bind mount at {mount.Target} has no Kubernetes equivalent");
            }
            var name = claimTemplates.Count == 0 ? "data" : $"data-{(claimTemplates.Count + 1).ToString(CultureInfo.InvariantCulture)}";
            claimTemplates.Add(Claim(new V1ObjectMeta { Name = name }, "ReadWriteOnce", settings.VolumeSizeFor(resource.Name)));
            container.VolumeMounts.Add(new V1VolumeMount { Name = name, MountPath = mount.Target, ReadOnlyProperty = mount.IsReadOnly ? true : null });
        }
    }

    /// <summary>A claim of <paramref name="size"/> storage (a quantity such as 20Gi) in <paramref name="accessMode"/>.</summary>
    public static V1PersistentVolumeClaim Claim(V1ObjectMeta metadata, string accessMode, string size) => new()
    {
        Metadata = metadata,
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = [accessMode],
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["storage"] = new(size) } },
        },
    };
}
