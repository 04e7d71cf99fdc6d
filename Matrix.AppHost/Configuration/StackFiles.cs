using Matrix.AppHost.Files;
using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Configuration;

/// <summary>
/// The configuration files Matrix.Stack generates for the deployment, without secret values: configs point at secret
/// files (<c>*_path</c>) or read environment variables, and the values reach the containers separately as secret
/// parameters. Rendering needs every secret to be present, so it is given placeholders; a placeholder found in a
/// config file would mean a secret leaked into configuration, and stops the AppHost.
/// </summary>
public static class StackFiles
{
    private const string PlaceholderPrefix = "matrix-apphost-placeholder-";

    public static IReadOnlyList<RenderedFile> RenderConfig(MatrixDeployment deployment)
    {
        var placeholders = new StackSecrets(SecretName.RequiredFor(deployment.Options)
            .ToDictionary(name => name, name => PlaceholderPrefix + name, StringComparer.Ordinal));
        var files = StackRenderer.Render(deployment.Options, placeholders)
            .Where(file => file.Kind == RenderedFileKind.Config)
            .ToList();
        var leak = files.FirstOrDefault(file => file.Content.Contains(PlaceholderPrefix, StringComparison.Ordinal));
        if (leak is not null)
        {
            throw new InvalidOperationException($"{leak.Path} contains a secret value; configuration files must reference secrets, not hold them");
        }
        return files;
    }

    /// <summary>The files of one component folder (<c>coturn</c>), with paths relative to it.</summary>
    public static IReadOnlyList<GeneratedFile> Component(IEnumerable<RenderedFile> files, string component) =>
        files.Where(file => file.Component == component)
            .Select(file => new GeneratedFile(file.Path[(component.Length + 1)..], file.Content))
            .ToList();
}
