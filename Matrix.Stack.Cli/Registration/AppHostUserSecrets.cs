using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.UserSecrets;

namespace Matrix.Stack.Cli.Registration;

/// <summary>
/// Where <c>dotnet run --project Matrix.AppHost</c> keeps the secrets it generated, each secret parameter as
/// <c>Parameters:&lt;name&gt;</c>. Aspire 17 keeps them in its own secrets file, named by the AppHost's
/// <c>UserSecretsId</c> (in Matrix.AppHost.csproj; a test checks the two agree) and the environment <c>dotnet run</c>
/// runs in (Development, from the launch profile): <c>~/.aspire/secrets/&lt;id&gt;/Development.json</c>, or the file
/// <c>ASPIRE_SECRETS_FILE</c> names. Aspire 13 kept them in the project's user secrets, which Aspire 17 imports once
/// and which are still read here when Aspire's file lacks the value.
/// </summary>
public static class AppHostUserSecrets
{
    public const string UserSecretsId = "matrix-apphost-2f6c1d9e";

    /// <summary>Aspire's variable that replaces the secrets file's path (read by the AppHost and here alike).</summary>
    public const string SecretsFileVariable = "ASPIRE_SECRETS_FILE";

    /// <summary>The environment of a local <c>dotnet run</c> (the AppHost's launch profile sets it).</summary>
    private const string RunEnvironment = "Development";

    /// <summary>Aspire 13's user-secrets file: <c>~/.microsoft/usersecrets/&lt;id&gt;/secrets.json</c> on Linux and macOS.</summary>
    public static string LegacyFilePath => PathHelper.GetSecretsPathFromSecretsId(UserSecretsId);

    /// <summary>The file Aspire 17 keeps a local run's secrets in.</summary>
    public static string FilePath(Func<string, string?> environment)
    {
        if (environment(SecretsFileVariable) is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }
        var folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aspire", "secrets", UserSecretsId);
        // Aspire matches the environment's file name ignoring case.
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder).FirstOrDefault(file => string.Equals(Path.GetFileName(file), RunEnvironment + ".json", StringComparison.OrdinalIgnoreCase))
              ?? Path.Combine(folder, RunEnvironment + ".json")
            : Path.Combine(folder, RunEnvironment + ".json");
    }

    /// <summary>The configuration key of an AppHost parameter.</summary>
    public static string ParameterKey(string parameterName) => "Parameters:" + parameterName;

    /// <summary>The value the AppHost stored for <paramref name="parameterName"/> and the file it is in, or null (no store, or not in it).</summary>
    public static (string Value, string File)? Read(string parameterName, Func<string, string?> environment)
    {
        foreach (var file in new[] { FilePath(environment), LegacyFilePath })
        {
            if (!File.Exists(file))
            {
                continue;
            }
            var configuration = new ConfigurationBuilder().AddJsonFile(file, optional: true, reloadOnChange: false).Build();
            if (configuration[ParameterKey(parameterName)] is { } value && !string.IsNullOrWhiteSpace(value))
            {
                return (value, file);
            }
        }
        return null;
    }
}
