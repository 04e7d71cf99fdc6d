using System.IO;
using Aspire.Hosting.Kubernetes;
using Aspire.Hosting.Kubernetes.Resources;

namespace Matrix.AppHost.Files;

/// <summary>
/// Delivers generated files into containers the same way in both modes' terms. In run mode: Aspire container files.
/// In Kubernetes, where the publisher ignores container files and rejects bind mounts: a ConfigMap volume (config) and a
/// volume of the Secret Aspire already builds from the secret environment variables (secrets).
/// </summary>
public static class ContainerFilesExtensions
{
    private const UnixFileMode ConfigMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode SecretMode = UnixFileMode.UserRead;

    // Kubernetes file modes are given in decimal: 0644 and 0440.
    private const int KubernetesConfigMode = 420;
    private const int KubernetesSecretMode = 288;

    /// <summary>
    /// Config files into <paramref name="directory"/>, readable by the container user <paramref name="owner"/>. With
    /// <paramref name="besideImageFiles"/> each file is mounted on its own (Kubernetes subPath), so a directory that
    /// already holds the image's files (Element's web root) is not hidden by the volume.
    /// </summary>
    public static IResourceBuilder<T> WithGeneratedFiles<T>(
        this IResourceBuilder<T> builder, string directory, IReadOnlyList<GeneratedFile> files, int owner = 0, bool besideImageFiles = false)
        where T : ContainerResource
    {
        if (files.Count == 0)
        {
            return builder;
        }
        if (builder.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return builder.WithContainerFiles(directory, ToContainerItems(files), defaultOwner: owner, defaultGroup: owner);
        }

        return builder.PublishAsKubernetesService(kubernetes =>
        {
            var name = $"{builder.Resource.Name}-files";
            var configMap = new ConfigMap { Metadata = { Name = name } };
            var volume = new VolumeV1 { Name = name, ConfigMap = new() { Name = name, DefaultMode = KubernetesConfigMode } };
            foreach (var file in files)
            {
                // Helm renders every template: a literal "{{" would be taken for a template action and corrupt the file.
                if (file.Contents.Contains("{{", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{builder.Resource.Name}: generated file {file.RelativePath} contains '{{{{', which Helm would evaluate");
                }
                configMap.Data[file.ConfigMapKey] = file.Contents;
                volume.ConfigMap.Items.Add(new KeyToPathV1 { Key = file.ConfigMapKey, Path = file.RelativePath });
            }
            kubernetes.AdditionalResources.Add(configMap);
            if (!besideImageFiles)
            {
                Mount(kubernetes, volume, directory);
                return;
            }
            var pod = (kubernetes.Workload ?? throw new InvalidOperationException("the Kubernetes publisher built no workload")).PodTemplate.Spec;
            pod.Volumes.Add(volume);
            foreach (var container in pod.Containers)
            {
                foreach (var file in files)
                {
                    container.VolumeMounts.Add(new VolumeMountV1 { Name = volume.Name, MountPath = $"{directory}/{file.RelativePath}", SubPath = file.RelativePath, ReadOnly = true });
                }
            }
        });
    }

    /// <summary>
    /// One file per secret in <paramref name="directory"/>, owned by <paramref name="owner"/> and readable by it only.
    /// The value travels as a secret parameter in an environment variable (a Kubernetes Secret when published); the
    /// file is written from the resolved parameter in run mode and projected from that Secret in Kubernetes.
    /// </summary>
    public static IResourceBuilder<T> WithSecretFiles<T>(
        this IResourceBuilder<T> builder, string directory, IReadOnlyList<SecretFile> secrets, int owner = 0)
        where T : ContainerResource
    {
        if (secrets.Count == 0)
        {
            return builder;
        }
        foreach (var secret in secrets)
        {
            builder.WithEnvironment(secret.EnvironmentVariable, secret.Parameter);
        }

        if (builder.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return builder.WithContainerFiles(directory, async (_, cancellationToken) =>
            {
                var items = new List<ContainerFileSystemItem>();
                foreach (var secret in secrets)
                {
                    items.Add(new ContainerFile
                    {
                        Name = secret.FileName,
                        Contents = await secret.Parameter.Resource.GetValueAsync(cancellationToken).ConfigureAwait(false)
                            ?? throw new InvalidOperationException($"secret parameter '{secret.Parameter.Resource.Name}' has no value"),
                        Mode = SecretMode,
                    });
                }
                return items;
            }, defaultOwner: owner, defaultGroup: owner);
        }

        return builder.PublishAsKubernetesService(kubernetes =>
        {
            var secretName = kubernetes.Secret?.Metadata.Name
                ?? throw new InvalidOperationException($"{builder.Resource.Name}: the publisher built no Secret for its secret parameters");
            var volume = new VolumeV1
            {
                Name = $"{builder.Resource.Name}-secret-files",
                Secret = new() { SecretName = secretName, DefaultMode = KubernetesSecretMode },
            };
            foreach (var secret in secrets)
            {
                volume.Secret.Items.Add(new KeyToPathV1 { Key = secret.EnvironmentVariable, Path = secret.FileName });
            }
            Mount(kubernetes, volume, directory);
            // Group-readable secret files for a process that switches to this user after start (Synapse's gosu 991).
            var pod = kubernetes.Workload!.PodTemplate.Spec;
            pod.SecurityContext ??= new PodSecurityContextV1();
            pod.SecurityContext.FsGroup ??= owner;
        });
    }

    private static void Mount(KubernetesResource kubernetes, VolumeV1 volume, string directory)
    {
        var pod = (kubernetes.Workload ?? throw new InvalidOperationException("the Kubernetes publisher built no workload")).PodTemplate.Spec;
        pod.Volumes.Add(volume);
        foreach (var container in pod.Containers)
        {
            container.VolumeMounts.Add(new VolumeMountV1 { Name = volume.Name, MountPath = directory, ReadOnly = true });
        }
    }

    // Nested paths (workers/synchrotron-1.yaml) become container directories.
    private static List<ContainerFileSystemItem> ToContainerItems(IEnumerable<GeneratedFile> files)
    {
        var root = new List<ContainerFileSystemItem>();
        foreach (var group in files.GroupBy(f => Path.GetDirectoryName(f.RelativePath) ?? "", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var entries = group
                .Select(f => (ContainerFileSystemItem)new ContainerFile { Name = Path.GetFileName(f.RelativePath), Contents = f.Contents, Mode = ConfigMode })
                .ToList();
            if (group.Key.Length == 0)
            {
                root.AddRange(entries);
            }
            else
            {
                root.Add(new ContainerDirectory { Name = group.Key, Entries = entries });
            }
        }
        return root;
    }
}
