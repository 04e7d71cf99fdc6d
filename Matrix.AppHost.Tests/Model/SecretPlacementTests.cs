using Matrix.AppHost.Files;
using Matrix.AppHost.Secrets;
using Matrix.Stack.Presets;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Tests.Model;

/// <summary>
/// No secret value in a plain environment value, a command-line argument or a generated file, for any preset with MAS
/// on or off: secrets travel only as parameters (resolved into their one-value files, or into the few variables whose
/// programs read nothing else).
/// </summary>
public sealed class SecretPlacementTests
{
    public static TheoryData<string, bool> Deployments()
    {
        var data = new TheoryData<string, bool>();
        foreach (var preset in StackPresets.Names)
        {
            data.Add(preset, false);
            data.Add(preset, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public async Task NoSecretValueIsInAnEnvironmentValueAnArgumentOrAGeneratedFile(string preset, bool mas)
    {
        string[] masOn = mas ? ["--Matrix:Settings:mas.enabled=true", "--Matrix:Settings:mas.publicBaseUrl=https://auth.example.org/"] : [];
        await using var builder = await Infrastructure.AppHostFactory.CreateAsync(preset, masOn);
        var secretValues = SecretName.All
            .Select(name => (Name: name, Value: name == SecretName.SigningKey
                ? Infrastructure.AppHostFactory.SigningKey
                : Infrastructure.AppHostFactory.SecretValue(MatrixSecrets.ParameterName(name))))
            .ToList();

        var checkedPlaces = 0;
        // Aspire 17 gives each project resource a run-mode child (its internal ProjectRebuilderResource, the dashboard's
        // rebuild command): Aspire's own, and its argument callback needs the started app's services.
        foreach (var resource in builder.Resources.Where(r => r is not ParameterResource and not IResourceWithParent { Parent: ProjectResource }))
        {
            var environment = await resource.EnvironmentAsync(builder.ExecutionContext);
            var places = environment.Where(e => e.Value is string).Select(e => ($"{resource.Name}: variable {e.Key}", (string)e.Value))
                // A plain argument is a string; an expression is no plain value.
                .Concat((await resource.DeclaredArgumentsAsync()).OfType<string>().Select((a, i) => ($"{resource.Name}: argument {i}", a)))
                .Concat(resource.Annotations.OfType<GeneratedFilesAnnotation>().SelectMany(f => f.Files)
                    .Select(f => ($"{resource.Name}: file {f.RelativePath}", f.Contents)));
            foreach (var (place, text) in places)
            {
                checkedPlaces++;
                foreach (var (name, value) in secretValues)
                {
                    Assert.False(text.Contains(value, StringComparison.Ordinal), $"{place} holds the value of secret {name}");
                }
            }
        }
        Assert.True(checkedPlaces > 20, $"only {checkedPlaces} places were read: the model inspection found nothing to check");
    }
}
