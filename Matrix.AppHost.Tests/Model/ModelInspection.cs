using Aspire.Hosting;

namespace Matrix.AppHost.Tests.Model;

/// <summary>Reads what the model declares, without starting anything (no container runtime needed).</summary>
public static class ModelInspection
{
    public static T Get<T>(this IDistributedApplicationTestingBuilder builder, string name) where T : IResource =>
        builder.Resources.OfType<T>().SingleOrDefault(r => r.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"no {typeof(T).Name} named '{name}'; resources: {string.Join(", ", builder.Resources.Select(r => r.Name))}");

    public static IReadOnlyList<string> WaitsFor(this IResource resource) =>
        resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).ToList();

    public static EndpointAnnotation Endpoint(this IResource resource, string name) =>
        resource.Annotations.OfType<EndpointAnnotation>().SingleOrDefault(e => e.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"{resource.Name} has no endpoint '{name}'");

    /// <summary>The environment a resource would get in run mode, with every parameter resolved (tests give them values).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(this IResource resource, DistributedApplicationExecutionContext context)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(context, resourceLogger: null, CancellationToken.None);
        return configuration.EnvironmentVariables.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
    }

    /// <summary>The arguments a resource would get in run mode.</summary>
    public static async Task<IReadOnlyList<string>> ArgumentsAsync(this IResource resource, DistributedApplicationExecutionContext context)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithArgumentsConfig()
            .BuildAsync(context, resourceLogger: null, CancellationToken.None);
        return configuration.Arguments.Select(a => a.Value).ToList();
    }
}
