namespace Matrix.AppHost;

public static class ContainerImageExtensions
{
    /// <summary>Sets the image of <paramref name="component"/> (pinned or configured) and the configured pull policy.</summary>
    public static IResourceBuilder<T> WithMatrixImage<T>(this IResourceBuilder<T> builder, ContainerImages images, string component)
        where T : ContainerResource
    {
        if (images[component] is { } image)
        {
            builder.WithImage(image.Name, image.Tag).WithImageRegistry(image.Registry);
        }
        return images.PullPolicy == ImagePullPolicy.Default ? builder : builder.WithImagePullPolicy(images.PullPolicy);
    }
}
