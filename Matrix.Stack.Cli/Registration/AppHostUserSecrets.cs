using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.UserSecrets;

namespace Matrix.Stack.Cli.Registration;

/// <summary>
/// Where <c>dotnet run --project Matrix.AppHost</c> keeps the secrets it generated: Aspire persists each secret parameter
/// as <c>Parameters:&lt;name&gt;</c> in the AppHost project's user-secrets store (<c>UserSecretsId</c> in
/// Matrix.AppHost.csproj; a test checks the two agree).
/// </summary>
public static class AppHostUserSecrets
{
    public const string UserSecretsId = "matrix-apphost-2f6c1d9e";

    /// <summary>The file, for messages: <c>~/.microsoft/usersecrets/&lt;id&gt;/secrets.json</c> on Linux and macOS.</summary>
    public static string FilePath => PathHelper.GetSecretsPathFromSecretsId(UserSecretsId);

    /// <summary>The configuration key of an AppHost parameter.</summary>
    public static string ParameterKey(string parameterName) => "Parameters:" + parameterName;

    /// <summary>The value the AppHost stored for <paramref name="parameterName"/>, or null (no store, or not in it).</summary>
    public static string? Read(string parameterName)
    {
        var configuration = new ConfigurationBuilder().AddUserSecrets(UserSecretsId, reloadOnChange: false).Build();
        var value = configuration[ParameterKey(parameterName)];
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
