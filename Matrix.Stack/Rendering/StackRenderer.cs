using Matrix.Stack.Coturn;
using Matrix.Stack.ElementWeb;
using Matrix.Stack.LiveKit;
using Matrix.Stack.Model;
using Matrix.Stack.Secrets;
using Matrix.Stack.Synapse;
using Matrix.Stack.Validation;
using Matrix.Stack.WellKnown;

namespace Matrix.Stack.Rendering;

/// <summary>
/// Every configuration file of a deployment, in memory. Validation (secrets included) comes first, so invalid
/// input produces nothing; the same inputs always produce the same files.
/// </summary>
public static class StackRenderer
{
    private static readonly IComponentRenderer[] Renderers =
    [
        new SecretFilesRenderer(),
        new SynapseConfigRenderer(),
        new ElementWebConfigRenderer(),
        new WellKnownRenderer(),
        new CoturnConfigRenderer(),
        new LiveKitConfigRenderer(),
    ];

    public static IReadOnlyList<RenderedFile> Render(StackOptions options, StackSecrets secrets)
    {
        StackValidator.EnsureValid(options, secrets);
        var deployment = MatrixDeployment.Create(options);
        var files = Renderers.SelectMany(r => r.Render(deployment, secrets)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        var duplicate = files.GroupBy(f => f.Path).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"two renderers produced {duplicate.Key}");
        }
        return files;
    }
}
