using Aspire.Hosting.Kubernetes;
using Matrix.Stack.Model;

namespace Matrix.AppHost.Kubernetes;

public static class MatrixKubernetesEnvironment
{
    public const string EnvironmentName = "k8s";
    public const string ChartName = "matrix-stack";

    /// <summary>
    /// The Kubernetes compute environment: <c>aspire publish -o DIR</c> writes a Helm chart (Chart.yaml, values.yaml,
    /// templates/&lt;resource&gt;/). Named volumes become persistent volume claims; the in-cluster Aspire dashboard stays
    /// on, so Router and MediaJanitor traces have somewhere to go.
    /// </summary>
    public static IResourceBuilder<KubernetesEnvironmentResource> AddMatrixKubernetesEnvironment(
        this IDistributedApplicationBuilder builder, MatrixDeployment deployment) =>
        builder.AddKubernetesEnvironment(EnvironmentName)
            .WithHelm(helm => helm
                .WithChartName(ChartName)
                .WithChartVersion("0.1.0")
                .WithChartDescription($"Matrix homeserver stack for {deployment.Options.ServerName}"))
            .WithProperties(environment =>
            {
                environment.DefaultStorageType = "pvc";
                environment.DefaultImagePullPolicy = "IfNotPresent";
            });
}
