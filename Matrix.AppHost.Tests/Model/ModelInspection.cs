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

    /// <summary>
    /// The environment a resource declares, as the objects the model holds (strings, parameters, endpoint and
    /// connection-string references), without resolving anything: no endpoint is allocated in a model test.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, object>> EnvironmentAsync(this IResource resource, DistributedApplicationExecutionContext context)
    {
        var variables = new Dictionary<string, object>(StringComparer.Ordinal);
        var callbackContext = new EnvironmentCallbackContext(context, resource, variables);
        foreach (var annotation in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await annotation.Callback(callbackContext);
        }
        return variables;
    }

    /// <summary>The command-line arguments a resource declares, as strings.</summary>
    public static async Task<IReadOnlyList<string>> ArgumentsAsync(this IResource resource) =>
        (await DeclaredArgumentsAsync(resource))
            .Select(argument => argument as string ?? throw new Xunit.Sdk.XunitException($"{resource.Name}: argument {argument} is not a string"))
            .ToList();

    /// <summary>The command-line arguments a resource declares, as the model holds them (strings or expressions).</summary>
    public static async Task<IReadOnlyList<object>> DeclaredArgumentsAsync(this IResource resource)
    {
        var arguments = new List<object>();
        var callbackContext = new CommandLineArgsCallbackContext(arguments, resource);
        foreach (var annotation in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await annotation.Callback(callbackContext);
        }
        return arguments;
    }

    /// <summary>The secret parameter an environment variable is bound to.</summary>
    public static ParameterResource Parameter(this IReadOnlyDictionary<string, object> environment, string variable) =>
        environment.TryGetValue(variable, out var value) && value is ParameterResource parameter
            ? parameter
            : throw new Xunit.Sdk.XunitException($"{variable} is not bound to a parameter (found {environment.GetValueOrDefault(variable)?.GetType().Name ?? "nothing"})");

    /// <summary>The secret files a container gets, by file name, with the parameter each is written from.</summary>
    public static IReadOnlyDictionary<string, ParameterResource> SecretFiles(this IResource resource, string directory) =>
        resource.Annotations.OfType<Matrix.AppHost.Files.SecretFilesAnnotation>()
            .Where(annotation => annotation.Directory == directory)
            .SelectMany(annotation => annotation.Secrets)
            .ToDictionary(secret => secret.FileName, secret => secret.Parameter.Resource, StringComparer.Ordinal);
}
