using Matrix.AppHost.Kubernetes;
using Matrix.AppHost.Media;
using Matrix.AppHost.Routing;
using Matrix.AppHost.Secrets;
using Matrix.Stack.Validation;
using Matrix.Stack.Wiring;

namespace Matrix.AppHost.Configuration;

public static class MatrixStackExtensions
{
    /// <summary>
    /// Reads which deployment to model (<see cref="MatrixStackConfiguration"/>), the image overrides and, when
    /// publishing, the Kubernetes settings; throws one <see cref="StackValidationException"/> naming every bad setting
    /// of all three at once. Then derives how the processes are wired and adds the stack's secret parameters.
    /// </summary>
    public static MatrixStack AddMatrixStack(this IDistributedApplicationBuilder builder)
    {
        var problems = new List<ValidationProblem>();
        var publishing = builder.ExecutionContext.IsPublishMode;
        var deployment = MatrixStackConfiguration.Read(builder.Configuration, builder.AppHostDirectory, problems, requireServerName: publishing);
        var images = ContainerImages.Read(builder.Configuration, problems);
        var kubernetes = publishing ? KubernetesPublishSettings.Read(builder.Configuration, problems) : new KubernetesPublishSettings();
        if (deployment is not null)
        {
            kubernetes.CheckAgainst(deployment, problems);
        }
        if (deployment is null || problems.Count > 0)
        {
            throw new StackValidationException(problems);
        }
        var hostMediaStore = builder.ExecutionContext.IsRunMode ? MediaStorageExtensions.PrepareHostMediaStore(builder.Configuration, builder.AppHostDirectory) : null;
        var trust = RouterTrustSettings.Read(builder, kubernetes);
        var wiring = StackWiring.Create(deployment, trust, hostMediaStore);
        return new MatrixStack(deployment, wiring, trust, builder.AddMatrixSecrets(deployment), images, kubernetes) { HostMediaStorePath = hostMediaStore };
    }
}
