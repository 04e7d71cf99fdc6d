using System.IO;

namespace Matrix.AppHost.Files;

/// <summary>
/// Delivers generated files and secret files into containers. The files are recorded as annotations (what the Kubernetes
/// publisher reads); in run mode they are also written as Aspire container files.
/// </summary>
public static class ContainerFilesExtensions
{
    private const UnixFileMode ConfigMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode SecretMode = UnixFileMode.UserRead;

    /// <summary>A component started by Matrix.Stack's launch script, with its secret-free files and the secret files the script reads.</summary>
    public static IResourceBuilder<T> WithLaunchScript<T>(this IResourceBuilder<T> builder, Matrix.Stack.LaunchScripts.ComponentContainerCommand command,
        Configuration.MatrixStack stack, string component, string configDirectory, int owner = 0) where T : ContainerResource =>
        builder.WithEntrypoint(command.Entrypoint)
            .WithArgs(command.Arguments.ToArray())
            .WithGeneratedFiles(configDirectory, stack.Files(component), owner)
            .WithSecretFiles(command.SecretsDirectory, command.SecretFiles.Select(stack.Secrets.File).ToList(), owner);

    /// <summary>Config files into <paramref name="directory"/>; see <see cref="GeneratedFilesAnnotation"/>.</summary>
    public static IResourceBuilder<T> WithGeneratedFiles<T>(
        this IResourceBuilder<T> builder, string directory, IReadOnlyList<GeneratedFile> files, int owner = 0, bool besideImageFiles = false)
        where T : ContainerResource
    {
        if (files.Count == 0)
        {
            return builder;
        }
        builder.WithAnnotation(new GeneratedFilesAnnotation(directory, files, owner, besideImageFiles));
        return builder.ApplicationBuilder.ExecutionContext.IsRunMode
            ? builder.WithContainerFiles(directory, ToContainerItems(files), defaultOwner: owner, defaultGroup: owner)
            : builder;
    }

    /// <summary>
    /// One file per secret in <paramref name="directory"/>, owned by <paramref name="owner"/> and readable by it only; see
    /// <see cref="SecretFilesAnnotation"/>. In run mode the value is read from the parameter when the container is created.
    /// </summary>
    public static IResourceBuilder<T> WithSecretFiles<T>(
        this IResourceBuilder<T> builder, string directory, IReadOnlyList<SecretFile> secrets, int owner = 0)
        where T : ContainerResource
    {
        if (secrets.Count == 0)
        {
            return builder;
        }
        builder.WithAnnotation(new SecretFilesAnnotation(directory, secrets, owner));
        if (!builder.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return builder;
        }
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
