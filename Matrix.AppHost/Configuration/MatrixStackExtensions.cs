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
    /// Reads which deployment to model (<see cref="MatrixStackConfiguration"/>), the image overrides, the local S3
    /// stand-in and, when publishing, the Kubernetes settings; throws one <see cref="StackValidationException"/> naming
    /// every bad setting of all of them at once. Then derives how the processes are wired and adds the stack's secret parameters.
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
        var localS3 = Media.LocalS3Settings.Read(builder.Configuration, builder.AppHostDirectory, deployment?.Options.S3, publishing, problems);
        if (deployment is null || problems.Count > 0)
        {
            throw new StackValidationException(problems);
        }
        var hostMediaStore = builder.ExecutionContext.IsRunMode ? MediaStorageExtensions.PrepareHostMediaStore(builder.Configuration, builder.AppHostDirectory) : null;
        var trust = RouterTrustSettings.Read(builder, kubernetes);
        var wiring = StackWiring.Create(deployment, trust, hostMediaStore, s3StandIn: localS3 is not null);
        return new MatrixStack(deployment, wiring, trust, builder.AddMatrixSecrets(deployment), images, kubernetes, localS3) { HostMediaStorePath = hostMediaStore };
    }
}
