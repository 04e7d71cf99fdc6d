using System.Text.Json.Nodes;
using Matrix.Stack.Model;
using Matrix.Stack.Presets;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;
using YamlDotNet.RepresentationModel;

namespace Matrix.Tests.Stack.Components;

/// <summary>Renders a deployment through <see cref="StackRenderer"/> and reads the component files back as data.</summary>
internal static class ComponentFiles
{
    /// <summary>The folders the component renderers (not Synapse) write.</summary>
    public static readonly string[] Folders = ["coturn", "element-web", "livekit", "lk-jwt-service", "well-known"];

    /// <summary>Secret values that cannot occur in a file by accident, so finding one means it was written there.</summary>
    public static StackSecrets DistinctSecrets() =>
        new(SecretName.All.ToDictionary(name => name, name => name == SecretName.SigningKey ? TestSigningKey.Value : $"{name}-{Guid.NewGuid():N}"));

    public static StackOptions Options(Action<StackOptions>? adjust = null)
    {
        var options = StackPresets.Create(StackPresets.Monolith);
        adjust?.Invoke(options);
        return options;
    }

    public static IReadOnlyList<RenderedFile> Render(StackOptions options, StackSecrets? secrets = null) =>
        StackRenderer.Render(options, secrets ?? DistinctSecrets());

    public static IReadOnlyList<RenderedFile> Render(Action<StackOptions>? adjust = null, StackSecrets? secrets = null) =>
        Render(Options(adjust), secrets);

    public static RenderedFile Single(this IReadOnlyList<RenderedFile> files, string path) =>
        files.SingleOrDefault(f => f.Path == path)
        ?? throw new Xunit.Sdk.XunitException($"{path} was not rendered; rendered: {string.Join(", ", files.Select(f => f.Path))}");

    public static JsonNode Json(this RenderedFile file) =>
        JsonNode.Parse(file.Content) ?? throw new Xunit.Sdk.XunitException($"{file.Path} is JSON null");

    public static YamlMappingNode Yaml(this RenderedFile file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(file.Content));
        return Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
    }

    /// <summary>The scalar at a dotted path (<c>rtc.tcp_port</c>) of a YAML mapping.</summary>
    public static string? Scalar(this YamlMappingNode root, string path)
    {
        YamlNode node = root;
        foreach (var key in path.Split('.'))
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }
            node = child;
        }
        return (node as YamlScalarNode)?.Value;
    }
}
