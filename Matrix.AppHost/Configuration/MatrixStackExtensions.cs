using Matrix.AppHost.Routing;
using Matrix.AppHost.Secrets;
using Matrix.Stack.Wiring;

namespace Matrix.AppHost.Configuration;

public static class MatrixStackExtensions
{
    /// <summary>
    /// Reads which deployment to model (<see cref="MatrixStackConfiguration"/>) and the image overrides, validates both
    /// (every bad setting named), derives how its processes are wired, and adds the stack's secret parameters.
    /// </summary>
    public static MatrixStack AddMatrixStack(this IDistributedApplicationBuilder builder)
    {
        var deployment = MatrixStackConfiguration.Read(builder.Configuration, builder.AppHostDirectory);
        var images = ContainerImages.Read(builder.Configuration);
        var wiring = StackWiring.Create(deployment, RouterTrustSettings.Read(builder));
        return new MatrixStack(deployment, wiring, builder.AddMatrixSecrets(deployment), images);
    }
}
