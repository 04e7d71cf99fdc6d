using System.Text;
using k8s;
using Matrix.AppHost.Tests.Infrastructure;

namespace Matrix.AppHost.Tests.Kubernetes;

/// <summary>
/// Validates objects against the upstream Kubernetes schemas with the npm package kubernetes-models 5.1.0, through
/// <c>tests/kubernetes/validate-objects.mjs</c>. Node and the package (<c>npm install --prefix .tools
/// kubernetes-models@5.1.0</c>, done by .ci/run) are required; without them the calling test is skipped, saying so.
/// </summary>
public static class KubernetesSchemaValidator
{
    public static string ModulesDirectory =>
        Environment.GetEnvironmentVariable("MATRIX_TEST_NODE_MODULES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppHostPaths.Root, ".tools", "node_modules");

    public static string Script => Path.Combine(AppHostPaths.Root, "tests", "kubernetes", "validate-objects.mjs");

    public static async Task<ExternalCommand.Result> ValidateAsync(IEnumerable<IKubernetesObject> objects, string workDirectory)
    {
        var node = ExternalCommand.Find("node");
        Assert.SkipWhen(node is null, "node is not on PATH: the kubernetes-models schema validation cannot run");
        Assert.SkipUnless(Directory.Exists(Path.Combine(ModulesDirectory, "kubernetes-models")),
            $"kubernetes-models is not installed in {ModulesDirectory} (npm install --prefix .tools kubernetes-models@5.1.0, as .ci/run does)");

        var json = new StringBuilder("[");
        json.AppendJoin(",", objects.Select(item => KubernetesJson.Serialize(item)));
        json.Append(']');
        var file = Path.Combine(workDirectory, "objects.json");
        await File.WriteAllTextAsync(file, json.ToString());
        return await ExternalCommand.RunAsync(node!, Script, ModulesDirectory, file);
    }
}
