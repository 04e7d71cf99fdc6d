using Matrix.AppHost.Kubernetes;
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
        var deployment = MatrixStackConfiguration.Read(builder.Configuration, builder.AppHostDirectory, problems);
        var images = ContainerImages.Read(builder.Configuration, problems);
        var kubernetes = new KubernetesPublishSettings();
        if (builder.ExecutionContext.IsPublishMode)
        {
            kubernetes = KubernetesPublishSettings.Read(builder.Configuration, problems);
            try
            {
                PublishedServerName.Check(MatrixStackConfiguration.ReadSelection(builder.Configuration, builder.AppHostDirectory), problems);
            }
            catch (StackValidationException)
            {
                // An unreadable settings file: already a problem in the list.
            }
        }
        if (deployment is null || problems.Count > 0)
        {
            throw new StackValidationException(problems);
        }
        var wiring = StackWiring.Create(deployment, RouterTrustSettings.Read(builder, kubernetes));
        return new MatrixStack(deployment, wiring, builder.AddMatrixSecrets(deployment), images, kubernetes);
    }
}
