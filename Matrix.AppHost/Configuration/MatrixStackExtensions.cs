using Matrix.AppHost.Secrets;

namespace Matrix.AppHost.Configuration;

public static class MatrixStackExtensions
{
    /// <summary>
    /// Reads which deployment to model (<see cref="MatrixStackConfiguration"/>) and the image overrides, validates both
    /// (every bad setting named), and adds the stack's secret parameters.
    /// </summary>
    public static MatrixStack AddMatrixStack(this IDistributedApplicationBuilder builder)
    {
        var deployment = MatrixStackConfiguration.Read(builder.Configuration, builder.AppHostDirectory);
        var images = ContainerImages.Read(builder.Configuration);
        return new MatrixStack(deployment, builder.AddMatrixSecrets(deployment), images);
    }
}
