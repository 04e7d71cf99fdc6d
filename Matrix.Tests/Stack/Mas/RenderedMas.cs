using System.Text.Json.Nodes;
using Matrix.Stack.Mas;
using Matrix.Stack.Model;
using Matrix.Stack.Presets;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;
using Matrix.Stack.Settings;
using Matrix.Stack.Synapse;
using Matrix.Tests.Stack.Schema;

namespace Matrix.Tests.Stack.Mas;

/// <summary>A deployment with MAS on, rendered through <see cref="StackRenderer"/> with distinct secrets, its files read back as data.</summary>
internal sealed class RenderedMas
{
    public const string PublicBase = "https://auth.example.org/";

    private RenderedMas(StackOptions options)
    {
        Options = options;
        Secrets = new StackSecrets(SecretName.All.ToDictionary(name => name,
            name => name == SecretName.SigningKey ? TestSigningKey.Value : $"{name}-{Guid.NewGuid():N}"));
        Files = StackRenderer.Render(options, Secrets);
        Mas = YamlJson.ParseObject(File(MasPaths.RenderedConfig).Content);
        Homeserver = YamlJson.ParseObject(File(SynapsePaths.RenderedHomeserver).Content);
    }

    public StackOptions Options { get; }

    public StackSecrets Secrets { get; }

    public IReadOnlyList<RenderedFile> Files { get; }

    public JsonObject Mas { get; }

    public JsonObject Homeserver { get; }

    public static StackOptions OptionsFor(string preset, params string[] settings)
    {
        var options = StackPresets.Create(preset);
        var problems = StackSettings.Apply(options, [
            new("serverName", "example.org"),
            new("publicBaseUrl", "https://matrix.example.org/"),
            new("mas.enabled", "true"),
            new("mas.publicBaseUrl", PublicBase),
            .. settings.Select(s => StackSettings.ParseAssignment(s)!.Value),
        ]);
        Assert.Empty(problems);
        return options;
    }

    public static RenderedMas Of(string preset, params string[] settings) => new(OptionsFor(preset, settings));

    public RenderedFile File(string path) => Files.SingleOrDefault(f => f.Path == path)
        ?? throw new Xunit.Sdk.XunitException($"{path} was not rendered; rendered: {string.Join(", ", Files.Select(f => f.Path))}");

    /// <summary>The content of the secret file a container path points at (<c>/run/secrets/matrix/x</c> is <c>secrets/x</c>).</summary>
    public string SecretFileBehind(string containerPath)
    {
        var prefix = Options.Synapse.SecretsDirectory.TrimEnd('/') + "/";
        Assert.StartsWith(prefix, containerPath);
        return File(SecretFilesRenderer.Folder + "/" + containerPath[prefix.Length..]).Content;
    }
}
