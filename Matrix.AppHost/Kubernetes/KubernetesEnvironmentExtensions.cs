using Aspire.Hosting.Pipelines;
using Matrix.AppHost.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Matrix.AppHost.Kubernetes;

public static class KubernetesEnvironmentExtensions
{
    /// <summary>
    /// Adds the Kubernetes output: a publish step (required by Aspire's <c>publish</c>) that builds the objects from the
    /// model and writes them under the publish output folder. Settings: <see cref="KubernetesPublishSettings"/>.
    /// </summary>
    public static IResourceBuilder<KubernetesEnvironmentResource> AddKubernetesEnvironment(
        this IDistributedApplicationBuilder builder, KubernetesPublishSettings settings, string name = "kubernetes")
    {
        var environment = builder.AddResource(new KubernetesEnvironmentResource(name, settings)).ExcludeFromManifest();
        if (builder.ExecutionContext.IsRunMode)
        {
            // Nothing runs: it only publishes. Kept off the dashboard, where it would sit in an "Unknown" state.
            environment.WithInitialState(new CustomResourceSnapshot { ResourceType = "KubernetesEnvironment", Properties = [], IsHidden = true });
        }
        environment.WithPipelineStepFactory(context => new PipelineStep
        {
            Name = KubernetesEnvironmentResource.PublishStepName,
            Description = "Writes the Kubernetes manifests and kustomization of the stack.",
            Action = step => PublishAsync(environment.Resource, step),
            DependsOnSteps = [WellKnownPipelineSteps.PublishPrereq],
            RequiredBySteps = [WellKnownPipelineSteps.Publish],
            Resource = context.Resource,
        });
        return environment;
    }

    private static async Task PublishAsync(KubernetesEnvironmentResource environment, PipelineStepContext step)
    {
        var settings = environment.Settings;
        var output = Path.Combine(step.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory(), KubernetesEnvironmentResource.OutputFolder);
        var manifest = await new KubernetesManifestBuilder(step.Model, step.ExecutionContext, settings, step.CancellationToken).BuildAsync();
        await manifest.WriteAsync(output, step.CancellationToken);
        step.Summary.Add("Kubernetes", $"{manifest.Files.Count} manifest files and {KubernetesManifest.KustomizationFile} in {output}");
    }
}
