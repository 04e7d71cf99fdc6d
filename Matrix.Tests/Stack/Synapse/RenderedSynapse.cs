using System.Text.Json.Nodes;
using Matrix.Stack.Model;
using Matrix.Stack.Rendering;
using Matrix.Stack.Secrets;
using Matrix.Stack.Synapse;
using Matrix.Tests.Stack.Schema;

namespace Matrix.Tests.Stack.Synapse;

/// <summary>A deployment rendered through <see cref="StackRenderer"/>, with its Synapse files read back as Synapse would read them.</summary>
public sealed class RenderedSynapse
{
    private RenderedSynapse(StackOptions options, StackSecrets secrets, IReadOnlyList<RenderedFile> files)
    {
        Options = options;
        Secrets = secrets;
        Files = files;
        Deployment = MatrixDeployment.Create(options);
        Homeserver = YamlJson.ParseObject(File(SynapsePaths.RenderedHomeserver).Content);
        Workers = files
            .Where(f => f.Path.StartsWith(SynapsePaths.Folder + "/workers/", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f.Path), f => YamlJson.ParseObject(f.Content));
    }

    public StackOptions Options { get; }

    public StackSecrets Secrets { get; }

    public MatrixDeployment Deployment { get; }

    /// <summary>Every file of the deployment, all components.</summary>
    public IReadOnlyList<RenderedFile> Files { get; }

    public JsonObject Homeserver { get; }

    /// <summary>Worker files by the name in their file name.</summary>
    public IReadOnlyDictionary<string, JsonObject> Workers { get; }

    public IEnumerable<RenderedFile> SynapseFiles => Files.Where(f => f.Component == SynapsePaths.Folder || f.Path == SynapsePaths.RenderedPgPass);

    public static RenderedSynapse Of(string layoutName) => Of(SynapseTestLayouts.Create(layoutName));

    public static RenderedSynapse Of(StackOptions options, StackSecrets? secrets = null)
    {
        secrets ??= SynapseTestSecrets.Secrets;
        return new RenderedSynapse(options, secrets, StackRenderer.Render(options, secrets));
    }

    public RenderedFile File(string path) => Files.SingleOrDefault(f => f.Path == path)
        ?? throw new InvalidOperationException($"{path} was not rendered; rendered: {string.Join(", ", Files.Select(f => f.Path))}");

    /// <summary>What a worker process reads: homeserver.yaml with the worker file's top-level keys over it (Synapse's read_config_files).</summary>
    public JsonObject Merged(string worker)
    {
        var merged = (JsonObject)Homeserver.DeepClone();
        foreach (var (key, value) in Workers[worker])
        {
            merged[key] = value?.DeepClone();
        }
        return merged;
    }

    /// <summary>The listeners of a process: <c>listeners</c> for main, <c>worker_listeners</c> for a worker.</summary>
    public IReadOnlyList<JsonObject> Listeners(string instance) =>
        (instance == "main" ? Homeserver["listeners"] : Workers[instance]["worker_listeners"])!.AsArray().Cast<JsonObject>().ToList();

    public static IReadOnlyList<string> ResourceNames(JsonObject listener) =>
        listener["resources"]?.AsArray().SelectMany(r => r!["names"]!.AsArray().Select(n => n!.GetValue<string>())).ToList() ?? [];
}
