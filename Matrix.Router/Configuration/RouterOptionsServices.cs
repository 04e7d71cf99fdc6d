using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Matrix.Router.Configuration;

/// <summary>Registers the router's options: read once, validated when the host starts, injectable as <see cref="RouterOptions"/>.</summary>
public static class RouterOptionsServices
{
    public static IServiceCollection AddRouterOptions(this IServiceCollection services)
    {
        services.AddOptions<RouterOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<RouterOptions>, RouterOptionsSetup>();
        services.AddSingleton<IValidateOptions<RouterOptions>, RouterOptionsValidator>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<RouterOptions>>().Value);
        return services;
    }
}
