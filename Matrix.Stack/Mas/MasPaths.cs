using Matrix.Stack.Model;

namespace Matrix.Stack.Mas;

/// <summary>MAS's files: in the render output (<c>mas/config.yaml</c>) and inside its container.</summary>
public static class MasPaths
{
    public const string Folder = "mas";
    public const string ConfigFileName = "config.yaml";
    public const string RenderedConfig = Folder + "/" + ConfigFileName;

    public static string Config(MasOptions mas) => mas.ConfigDirectory.TrimEnd('/') + "/" + ConfigFileName;

    /// <summary>A secret's file: the deployment's secrets folder, the secret's name (as for Synapse).</summary>
    public static string Secret(StackOptions options, string secretName) =>
        options.Synapse.SecretsDirectory.TrimEnd('/') + "/" + secretName;
}
