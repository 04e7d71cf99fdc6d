using System.Text.RegularExpressions;
using Matrix.AppHost.Secrets;
using Matrix.AppHost.Tests.Infrastructure;
using Matrix.Stack.Presets;
using Matrix.Stack.Secrets;

namespace Matrix.AppHost.Tests.Model;

/// <summary>The dashboard's help for the signing key names a command that exists (it once named the library, not the CLI).</summary>
public sealed partial class SigningKeyHelpTests
{
    [Fact]
    public async Task The_signing_key_help_names_the_cli_project_and_its_verb()
    {
        await using var builder = await AppHostFactory.CreateAsync(StackPresets.Monolith);
        var signingKey = builder.Resources.OfType<ParameterResource>().Single(p => p.Name == MatrixSecrets.ParameterName(SecretName.SigningKey));
        var help = signingKey.Description ?? "";
        var command = ProjectCommand().Match(help);
        Assert.True(command.Success, $"the help names no `dotnet run --project X -- VERB`: {help}");

        var project = command.Groups["project"].Value;
        var csproj = Path.Combine(AppHostPaths.Root, project, project + ".csproj");
        Assert.True(File.Exists(csproj), $"the help names project '{project}', which does not exist ({csproj})");
        Assert.Contains("<OutputType>Exe</OutputType>", File.ReadAllText(csproj), StringComparison.Ordinal);
        Assert.Equal("generate-secrets", command.Groups["verb"].Value);
    }

    [GeneratedRegex(@"dotnet run --project (?<project>[\w.]+) -- (?<verb>[\w-]+)")]
    private static partial Regex ProjectCommand();
}
