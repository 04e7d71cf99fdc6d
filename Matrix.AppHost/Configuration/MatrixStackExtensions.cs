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
        var selection = MatrixStackConfiguration.ReadSelection(builder.Configuration, builder.AppHostDirectory);
        var deployment = MatrixStackConfiguration.Build(selection);
        var images = ContainerImages.Read(builder.Configuration);
        return new MatrixStack(selection, deployment, builder.AddMatrixSecrets(deployment), images);
    }
}
