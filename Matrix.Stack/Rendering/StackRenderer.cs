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
/// Every configuration file of a deployment, in memory. Validation comes first, so invalid input produces nothing;
/// the same inputs always produce the same files.
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
        new Mas.MasConfigRenderer(),
    ];

    /// <summary>
    /// Every file, secret files included, for one host (the CLI's <c>render</c>): options and secrets are validated
    /// together first.
    /// </summary>
    public static IReadOnlyList<RenderedFile> Render(StackOptions options, StackSecrets secrets)
    {
        StackValidator.EnsureValid(options, secrets);
        var deployment = MatrixDeployment.Create(options);
        return Collect(Renderers.SelectMany(r => r.Render(deployment, secrets)));
    }

    /// <summary>
    /// Every <see cref="RenderedFileKind.Config"/> file, without any secret value, for hosts that deliver each secret
    /// on its own (Aspire secret parameters, Kubernetes Secret keys: one value per file or variable). No secret is
    /// given, so none can be written; files reference secrets by path or environment, and the components whose
    /// programs want a secret inside a file of their own assemble it at start (<see cref="CoturnContainerCommand"/>,
    /// <see cref="LiveKitContainerCommand"/>). The paths are those of <see cref="Render"/>; only
    /// <c>coturn/turnserver.conf</c> differs: here it lacks its last line, the shared secret.
    /// </summary>
    public static IReadOnlyList<RenderedFile> RenderConfiguration(StackOptions options, Layout.SynapseHosting hosting = Layout.SynapseHosting.ProcessHosts)
    {
        StackValidator.EnsureValid(options);
        var deployment = MatrixDeployment.Create(options, hosting);
        var files = Collect(Renderers.SelectMany(r => r.RenderConfiguration(deployment)));
        if (files.FirstOrDefault(f => f.Kind != RenderedFileKind.Config) is { } secretFile)
        {
            throw new InvalidOperationException($"{secretFile.Path} is a secret file; configuration rendering must return configuration files only");
        }
        return files;
    }

    private static List<RenderedFile> Collect(IEnumerable<RenderedFile> rendered)
    {
        var files = rendered.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        if (files.GroupBy(f => f.Path).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new InvalidOperationException($"two renderers produced {duplicate.Key}");
        }
        return files;
    }
}
